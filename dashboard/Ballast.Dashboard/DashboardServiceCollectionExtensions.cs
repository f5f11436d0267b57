using Ballast.Dashboard.Services;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Radzen;

namespace Ballast.Dashboard;

/// <summary>Registers the dashboard's services.</summary>
public static class DashboardServiceCollectionExtensions
{
    /// <summary>Largest message a browser may send over the dashboard's circuit (e.g. a pasted haproxy.cfg): 4 MiB.</summary>
    public const long MaxReceiveMessageBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Adds what the Ballast dashboard needs: Razor components with interactive server rendering, Radzen, the
    /// <see cref="DashboardAuthentication.Scheme"/> cookie scheme and the <see cref="DashboardAuthentication.Policy"/>
    /// authorization policy, antiforgery and the per-circuit <see cref="DashboardSession"/>.
    /// The host must also register its <see cref="IDashboardApi"/> implementation. Calling it again has no effect.
    /// </summary>
    /// <remarks>
    /// The cookie scheme is added as a named scheme and is not made the default, so it does not interfere with
    /// other authentication the host uses (e.g. a bearer token on its API): the dashboard endpoints select it
    /// through their policy.
    /// </remarks>
    /// <param name="services">The host's services.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddBallastDashboard(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(DashboardSession)))
        {
            return services; // Already added.
        }

        // A pasted haproxy.cfg (Import page) reaches the server in one message; SignalR's default limit is 32 KB.
        services.AddRazorComponents().AddInteractiveServerComponents()
            .AddHubOptions(hub => hub.MaximumReceiveMessageSize = MaxReceiveMessageBytes);
        services.AddRadzenComponents();
        services.AddCascadingAuthenticationState();
        services.AddAntiforgery();

        services.AddAuthentication()
            .AddCookie(DashboardAuthentication.Scheme, options =>
            {
                options.Cookie.Name = DashboardAuthentication.CookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.LoginPath = DashboardAuthentication.LoginPath;
                options.LogoutPath = DashboardAuthentication.LogoutPath;
                options.AccessDeniedPath = DashboardAuthentication.LoginPath;
                options.ExpireTimeSpan = TimeSpan.FromHours(12);
                options.SlidingExpiration = true;
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(DashboardAuthentication.Policy, policy => policy
                .AddAuthenticationSchemes(DashboardAuthentication.Scheme)
                .RequireAuthenticatedUser());

        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<DashboardSession>();
        return services;
    }

    /// <summary>
    /// <see cref="AddBallastDashboard(IServiceCollection)"/>, plus <c>UseStaticWebAssets()</c> on the web host so the
    /// Radzen and dashboard files under <c>_content/</c> are found when the host runs from its build output
    /// (<c>dotnet run</c>, <c>bin/</c>) in any environment; ASP.NET Core only does that by itself in Development.
    /// From <c>dotnet publish</c> output the files are in wwwroot and this is a no-op.
    /// </summary>
    /// <param name="builder">The host's builder.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static WebApplicationBuilder AddBallastDashboard(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddBallastDashboard();
        return builder;
    }
}
