using Ballast.Dashboard.Components;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticAssets.Infrastructure;

namespace Ballast.Dashboard;

/// <summary>Maps the dashboard's endpoints.</summary>
public static class DashboardEndpointRouteBuilderExtensions
{
    /// <summary>The key <c>UseAntiforgery()</c> sets in <see cref="IApplicationBuilder.Properties"/>.</summary>
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
    /// <item>Middleware order: routing, <c>UseAuthentication()</c>, <c>UseAuthorization()</c>, then <c>UseAntiforgery()</c>.
    /// A <c>WebApplication</c> adds routing, authentication and authorization by itself when the host does not call
    /// them; if the host calls any of them, it must do so before <c>MapBallastDashboard</c>. When the host has not
    /// called <c>UseAntiforgery()</c>, this method adds it (at this point of the pipeline, so after the above).</item>
    /// </list>
    /// </remarks>
    /// <param name="endpoints">The host's endpoint route builder (a <c>WebApplication</c>).</param>
    /// <returns>The Razor components' convention builder, for further conventions.</returns>
    public static RazorComponentsEndpointConventionBuilder MapBallastDashboard(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        // The login form and POST /logout need the antiforgery middleware; WebApplication does not add it by itself.
        if (endpoints is IApplicationBuilder app && !app.Properties.ContainsKey(AntiforgeryMiddlewareSetKey))
        {
            app.UseAntiforgery();
        }

        if (!StaticAssetsEndpointDataSourceHelper.HasStaticAssetsDataSource(endpoints))
        {
            endpoints.MapStaticAssets();
        }

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
}
