using Ballast.DataPlane.Config;
using Ballast.DataPlane.Health;
using Ballast.DataPlane.Proxy;
using Ballast.DataPlane.Snapshots;
using Ballast.DataPlane.Tls;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Ballast.DataPlane;

/// <summary>Registers the data plane's services.</summary>
internal static class NodeServiceCollectionExtensions
{
    /// <summary>
    /// Adds the engine and what it needs: YARP's direct forwarder, one shared pooled client, the mode tcp relay,
    /// binds, health checks, the snapshot cache. A <see cref="TimeProvider"/> registered before this call is used everywhere.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">Node settings.</param>
    public static IServiceCollection AddBallastDataPlane(this IServiceCollection services, NodeOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpForwarder();
        services.AddKestrelTls(); // what Kestrel's HTTPS middleware resolves (TLS binds)
        services.AddSingleton(options);
        services.AddSingleton<RuntimeModelHolder>();
        services.AddSingleton(sp => new Logging.AccessLogWriter(
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<Logging.AccessLogWriter>>())
        {
            Model = sp.GetRequiredService<RuntimeModelHolder>() is var holder ? () => holder.Current : null,
        });
        services.AddSingleton(sp => new ProxyRequestHandler(
            sp.GetRequiredService<IHttpForwarder>(),
            ProxyRequestHandler.CreateInvoker(HaproxyDefaults.ConnectTimeout))
        {
            AccessLog = sp.GetRequiredService<Logging.AccessLogWriter>(),
            TlsInvoker = Tls.ServerTlsConnector.CreateInvoker(sp.GetRequiredService<RuntimeModelHolder>(), HaproxyDefaults.ConnectTimeout),
        });
        services.TryAddSingleton<IHealthProbe>(sp => new SocketHealthProbe(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<HealthCheckManager>();
        services.AddSingleton<Runtime.RuntimeOverrides>();
        services.AddSingleton(sp => new TcpProxyHandler(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<TcpProxyHandler>>())
        {
            AccessLog = sp.GetRequiredService<Logging.AccessLogWriter>(),
        });
        services.TryAddSingleton(Proxy.FastPath.FastPathSettings.FromEnvironment());
        services.TryAddSingleton(Transport.TransportSettings.FromEnvironment());
        services.AddSingleton(sp => new Transport.NodeTransport(
            sp.GetRequiredService<Transport.TransportSettings>(), sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new Proxy.FastPath.Http1FastPath(
            sp.GetRequiredService<Proxy.FastPath.FastPathSettings>(),
            sp.GetRequiredService<RuntimeModelHolder>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<Transport.NodeTransport>().Epoll)
        {
            AccessLog = sp.GetRequiredService<Logging.AccessLogWriter>(),
        });
        services.AddSingleton(sp => new ListenerManager(
            sp.GetRequiredService<RuntimeModelHolder>(),
            sp.GetRequiredService<ProxyRequestHandler>(),
            sp.GetRequiredService<TcpProxyHandler>(),
            sp,
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Proxy.FastPath.Http1FastPath>(),
            sp.GetRequiredService<Transport.NodeTransport>().Epoll));
        services.AddSingleton<NodeEngine>();
        services.AddSingleton<Stats.StatsHttpServer>();
        services.AddSingleton(sp => new SnapshotStore(options.DataDir, sp.GetRequiredService<ILogger<SnapshotStore>>()));
        return services;
    }
}
