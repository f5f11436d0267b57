using Ballast.Dashboard.Components;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticAssets.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Ballast.Dashboard;

/// <summary>Maps the dashboard's endpoints.</summary>
public static class DashboardEndpointRouteBuilderExtensions
{
    // The keys UseAuthentication(), UseAuthorization() and UseAntiforgery() set in IApplicationBuilder.Properties.
    private const string AuthenticationMiddlewareSetKey = "__AuthenticationMiddlewareSet";
    private const string AuthorizationMiddlewareSetKey = "__AuthorizationMiddlewareSet";
    private const string AntiforgeryMiddlewareSetKey = "__AntiforgeryMiddlewareSet";

    /// <summary>
    /// Maps the dashboard at the root of the site: the pages (<c>/</c>, <c>/backends</c>, <c>/versions</c>,
    /// <c>/nodes</c>, <c>/login</c>) with interactive server rendering and the Blazor hub (<c>/_blazor</c>),
    /// <c>POST /logout</c>, the Blazor client script at <c>/_framework/blazor.web.js</c>, and the static web assets
    /// (<c>MapStaticAssets()</c>, unless the host already mapped them).
    /// Everything but the login page, the script and the static assets requires the
    /// <see cref="DashboardAuthentication.Policy"/> policy (unauthenticated browsers are redirected to <c>/login</c>).
    /// </summary>
    /// <remarks>
    /// Host (Program.cs) checklist:
    /// <list type="number">
    /// <item><c>builder.AddBallastDashboard()</c> (on the <c>WebApplicationBuilder</c>: also makes the <c>_content/</c>
    /// files resolvable from a build output outside Development) and a registration of <c>IDashboardApi</c>.</item>
    /// <item><c>app.MapBallastDashboard()</c>. Call <c>MapStaticAssets()</c> yourself only before it, never after
    /// (the endpoints would be mapped twice).</item>
    /// <item>Middleware: the dashboard needs routing, then <c>UseAuthentication()</c>, <c>UseAuthorization()</c> and
    /// <c>UseAntiforgery()</c> in this order. This method adds (at this point of the pipeline) each of the three the host
    /// has not added; a host that adds any of them itself must do so after its <c>UseRouting()</c> and before
    /// <c>MapBallastDashboard</c>.</item>
    /// </list>
    /// </remarks>
    /// <param name="endpoints">The host's endpoint route builder (a <c>WebApplication</c>).</param>
    /// <returns>The Razor components' convention builder, for further conventions.</returns>
    public static RazorComponentsEndpointConventionBuilder MapBallastDashboard(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        if (endpoints is IApplicationBuilder app)
        {
            AddMissingMiddleware(app);
        }

        MapStaticAssetsIfNeeded(endpoints);

        endpoints.MapGet(BlazorWebScript.RequestPath, BlazorWebScript.Serve)
            .AllowAnonymous()
            .ExcludeFromDescription();

        endpoints.MapPost(DashboardAuthentication.LogoutPath, async (HttpContext context) =>
            {
                await context.SignOutAsync(DashboardAuthentication.Scheme);
                return Results.LocalRedirect("~" + DashboardAuthentication.LoginPath);
            })
            .RequireAuthorization(DashboardAuthentication.Policy)
            .WithMetadata(new RequireAntiforgeryTokenAttribute())
            .ExcludeFromDescription();

        var components = endpoints.MapRazorComponents<App>();
        components.AddInteractiveServerRenderMode();
        components.RequireAuthorization(DashboardAuthentication.Policy);
        return components;
    }

    /// <summary>
    /// Adds authentication, authorization and antiforgery, in that order, where the host has not added them. Added here
    /// they run after routing: after the host's explicit <c>UseRouting()</c>, or after the routing a
    /// <c>WebApplication</c> puts first by itself (which also skips its own authentication/authorization then).
    /// </summary>
    private static void AddMissingMiddleware(IApplicationBuilder app)
    {
        if (!app.Properties.ContainsKey(AuthenticationMiddlewareSetKey))
        {
            app.UseAuthentication();
        }

        if (!app.Properties.ContainsKey(AuthorizationMiddlewareSetKey))
        {
            app.UseAuthorization();
        }

        if (!app.Properties.ContainsKey(AntiforgeryMiddlewareSetKey))
        {
            app.UseAntiforgery();
        }
    }

    /// <summary>
    /// Maps the app's static web assets (Radzen's and the dashboard's <c>_content/</c> files) unless the host did.
    /// Without the build's endpoints manifest (an app built in-process by a test host), falls back to the static files
    /// middleware so that mapping the dashboard never fails.
    /// </summary>
    private static void MapStaticAssetsIfNeeded(IEndpointRouteBuilder endpoints)
    {
        if (StaticAssetsEndpointDataSourceHelper.HasStaticAssetsDataSource(endpoints))
        {
            return;
        }

        var environment = endpoints.ServiceProvider.GetRequiredService<IWebHostEnvironment>();
        var manifest = Path.Combine(AppContext.BaseDirectory, $"{environment.ApplicationName}.staticwebassets.endpoints.json");
        if (File.Exists(manifest))
        {
            endpoints.MapStaticAssets();
        }
        else if (endpoints is IApplicationBuilder app)
        {
            app.UseStaticFiles();
        }
    }
}
