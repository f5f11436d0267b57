using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Infrastructure;

/// <summary>
/// Shared set-up of the proxy engine integration tests: a <see cref="TestNode"/>, real Kestrel backends on
/// 127.0.0.1 disposed with the test, and an HTTP client to the node's binds.
/// </summary>
public abstract class ProxyEngineTestBase : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _disposables = [];

    /// <summary>Client to the node's binds (no proxy, 20 s timeout).</summary>
    protected HttpClient Client { get; } = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
    {
        Timeout = TimeSpan.FromSeconds(20),
    };

    /// <summary>The node under test.</summary>
    internal TestNode Node { get; private set; } = null!;

    /// <summary>
    /// The node's HTTP/1.1 fast path switch: null = the node default (eligible frontends use the fast path); derived
    /// classes set false to run the same tests on the Kestrel + YARP path.
    /// </summary>
    protected virtual bool? HttpFastPath => null;

    /// <summary>
    /// The node's transport: null = the node default (its epoll transport on Linux x86-64); derived classes set false
    /// to run the same tests on Kestrel's socket transport (<c>BALLAST_TRANSPORT=sockets</c>).
    /// </summary>
    protected virtual bool? EpollTransport => null;

    /// <inheritdoc />
    public virtual Task InitializeAsync()
    {
        Node = TestNode.Create(httpFastPath: HttpFastPath, epollTransport: EpollTransport);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        Client.Dispose();
        await Node.DisposeAsync();
        foreach (var disposable in _disposables)
        {
            await disposable.DisposeAsync();
        }
    }

    /// <summary>Disposes <paramref name="disposable"/> when the test ends.</summary>
    protected T Track<T>(T disposable)
        where T : IAsyncDisposable
    {
        _disposables.Add(disposable);
        return disposable;
    }

    /// <summary>Starts a backend that answers with its name.</summary>
    protected async Task<TestBackend> StartBackendAsync(string name) => Track(await TestBackend.StartAsync(name));

    /// <summary>GET through the node: "status body".</summary>
    protected async Task<string> GetAsync(int port, string path = "/")
    {
        using var response = await Client.GetAsync($"http://127.0.0.1:{port}{path}");
        return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
    }

    /// <summary>Applies <paramref name="config"/> as <paramref name="version"/> and asserts it was applied.</summary>
    protected async Task ApplyOkAsync(ulong version, V1.Config config)
    {
        var result = await Node.Engine.ApplyAsync(version, config, CancellationToken.None);
        Assert.True(result.Applied, result.Error);
    }

    /// <summary>The node's current stats row of (<paramref name="pxname"/>, <paramref name="svname"/>).</summary>
    protected V1.StatRow Row(string pxname, string svname) =>
        Node.Engine.CreateStatsReport().Rows.Single(r => r.Pxname == pxname && r.Svname == svname);
}
