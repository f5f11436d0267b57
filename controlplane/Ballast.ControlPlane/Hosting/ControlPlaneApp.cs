using Ballast.ControlPlane.Api;
using Ballast.ControlPlane.Dashboard;
using Ballast.ControlPlane.Declarative;
using Ballast.ControlPlane.Fleet;
using Ballast.ControlPlane.Haproxy;
using Ballast.ControlPlane.Model;
using Ballast.ControlPlane.Nodes;
using Ballast.ControlPlane.Publishing;
using Ballast.ControlPlane.Store;
using Ballast.Dashboard;
using Ballast.Dashboard.Services;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ballast.ControlPlane.Hosting;

/// <summary>The addresses a started control plane listens on.</summary>
/// <param name="DashboardUrl">Dashboard and admin API base URL (the first of <c>--urls</c>).</param>
/// <param name="NodeUrl">Node gRPC URL (the first of <c>--node-urls</c>).</param>
public sealed record ControlPlaneEndpoints(string DashboardUrl, string NodeUrl);

/// <summary>
/// Builds the control plane: one <see cref="WebApplication"/> with two kinds of Kestrel listeners: the dashboard and
/// admin API (HTTP/1.1) and the node gRPC service (HTTP/2 only, h2c). Each kind serves only its own endpoints.
/// </summary>
public static class ControlPlaneApp
{
    /// <summary>Creates the data folder, resolves the admin token and builds the application (not started).</summary>
    /// <param name="options">Start-up settings.</param>
    /// <param name="configure">Last changes to the builder (tests replace services or logging here).</param>
    /// <exception cref="FormatException">A listen URL is invalid.</exception>
    public static WebApplication Build(ControlPlaneOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var dashboardUrls = ListenUrl.ParseList(options.Urls, "--urls");
        var nodeUrls = ListenUrl.ParseList(options.NodeUrls, "--node-urls");
        var dataDir = Path.GetFullPath(options.DataDir);
        Directory.CreateDirectory(dataDir);
        var token = AdminToken.Resolve(options.AdminToken, Environment.GetEnvironmentVariable(ControlPlaneOptions.AdminTokenVariable), dataDir);

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(ControlPlaneApp).Assembly.GetName().Name,
        });
        var roles = new ListenerRoles();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var url in dashboardUrls)
            {
                Listen(kestrel, url, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1;
                    roles.AddDashboard(listen);
                });
            }

            foreach (var url in nodeUrls)
            {
                Listen(kestrel, url, listen =>
                {
                    listen.Protocols = HttpProtocols.Http2;
                    roles.AddNode(listen);
                });
            }
        });
        // Quiet defaults for framework logs; appsettings, environment (Logging__LogLevel__...) and the command line override them.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
            },
        });

        var services = builder.Services;
        services.AddSingleton(options with { DataDir = dataDir });
        services.AddSingleton(token);
        services.AddSingleton(roles);
        services.AddSingleton(new ControlPlaneUrls(dashboardUrls, nodeUrls));
        services.TryAddSingleton(TimeProvider.System);
        services.AddBallastStore(Path.Combine(dataDir, "ballast.db"));
        services.AddSingleton<FleetRegistry>();
        services.AddSingleton<ConfigPublisher>();
        services.AddSingleton<Runtime.RuntimeOverrideStore>();
        services.AddSingleton<Runtime.RuntimeOverrideService>();
        services.AddSingleton<NodeStreamHandler>();
        services.AddSingleton<ConfigWriter>();
        services.AddSingleton<NativeSchema>();
        services.AddSingleton<HaproxyImportService>();
        services.AddSingleton<IDashboardApi, DashboardApi>();
        services.AddHostedService<ControlPlaneStartup>();
        services.ConfigureHttpJsonOptions(json => ModelJson.Configure(json.SerializerOptions));
        services.Configure<RouteHandlerOptions>(route => route.ThrowOnBadRequest = true);
        services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(10));
        services.AddBallastOpenApi();
        // Dashboard sign-in cookies stay valid across restarts: keys live in the data dir, not in $HOME.
        services.AddDataProtection()
            .SetApplicationName("ballast-controlplane")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDir, "keys")));
        builder.AddBallastDashboard();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseMiddleware<BadRequestMiddleware>();
        app.UseRouting();
        app.UseMiddleware<ListenerRoleMiddleware>();
        app.UseMiddleware<AdminTokenMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi();
        app.MapAdminApi();
        app.MapNodeService();
        app.MapBallastDashboard();
        return app;
    }

    /// <summary>The URLs a started application listens on (real ports when 0 was asked).</summary>
    public static ControlPlaneEndpoints GetEndpoints(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var roles = app.Services.GetRequiredService<ListenerRoles>();
        var urls = app.Services.GetRequiredService<ControlPlaneUrls>();
        return new ControlPlaneEndpoints(
            urls.Dashboard[0].ToUrl(roles.DashboardPorts[0]) + "/",
            urls.Node[0].ToUrl(roles.NodePorts[0]));
    }

    /// <summary>The admin token of a built application.</summary>
    public static string GetAdminToken(WebApplication app) =>
        app.Services.GetRequiredService<AdminToken>().Value;

    private static void Listen(KestrelServerOptions kestrel, ListenUrl url, Action<ListenOptions> configure)
    {
        if (url.Address is { } address)
        {
            kestrel.Listen(address, url.Port, configure);
        }
        else
        {
            kestrel.ListenAnyIP(url.Port, configure);
        }
    }

    /// <summary>The parsed listen URLs of each role.</summary>
    /// <param name="Dashboard">Dashboard/API URLs.</param>
    /// <param name="Node">Node URLs.</param>
    internal sealed record ControlPlaneUrls(IReadOnlyList<ListenUrl> Dashboard, IReadOnlyList<ListenUrl> Node);
}
