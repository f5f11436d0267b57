using Ballast.DataPlane.Agent;
using Ballast.DataPlane.Snapshots;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ballast.DataPlane.Tests.Infrastructure;

/// <summary>A node's data plane (engine, binds, health, cache) built as the real node builds it, without the agent loop.</summary>
internal sealed class TestNode : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private TestNode(ServiceProvider services, string dataDir)
    {
        _services = services;
        DataDir = dataDir;
        Engine = services.GetRequiredService<NodeEngine>();
        Store = services.GetRequiredService<SnapshotStore>();
    }

    public NodeEngine Engine { get; }

    public SnapshotStore Store { get; }

    public string DataDir { get; }

    /// <summary>The node's services (stats port, access-log writer, ...).</summary>
    public IServiceProvider Services => _services;

    /// <param name="dataDir">Snapshot cache directory; null = a fresh temporary one.</param>
    /// <param name="timeProvider">Clock; null = the system clock.</param>
    /// <param name="httpFastPath">HTTP/1.1 fast path switch; null = the node default (on for eligible frontends).</param>
    /// <param name="epollTransport">The node's epoll transport (true) or Kestrel's socket transport (false); null = the node default.</param>
    public static TestNode Create(string? dataDir = null, TimeProvider? timeProvider = null, bool? httpFastPath = null, bool? epollTransport = null)
    {
        dataDir ??= Path.Combine(Path.GetTempPath(), "ballast-node-tests", Guid.NewGuid().ToString("N"));
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        if (httpFastPath is { } fastPath)
        {
            services.AddSingleton(new global::Ballast.DataPlane.Proxy.FastPath.FastPathSettings(fastPath));
        }

        if (epollTransport is { } epoll)
        {
            services.AddSingleton(new global::Ballast.DataPlane.Transport.TransportSettings(epoll));
        }

        services.AddBallastDataPlane(new NodeOptions(new Uri("http://127.0.0.1:1"), "test-node", new Dictionary<string, string>(), dataDir));
        var node = new TestNode(services.BuildServiceProvider(), dataDir);
        node.Engine.Start();
        return node;
    }

    public NodeAgent CreateAgent(IControlPlaneConnector connector, TimeSpan? statsInterval = null, NodeOptions? options = null) => new(
        options ?? _services.GetRequiredService<NodeOptions>(),
        Engine,
        Store,
        connector,
        _services.GetRequiredService<TimeProvider>(),
        NullLogger<NodeAgent>.Instance)
    {
        StatsInterval = statsInterval ?? TimeSpan.FromSeconds(1),
    };

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        await _services.DisposeAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
