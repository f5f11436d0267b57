using System.Diagnostics;
using Xunit.Abstractions;

namespace Ballast.IntegrationTests.Infrastructure;

/// <summary>
/// One control plane, one node (<see cref="NodeId"/>) and in-process backends, each test with its own temp
/// directory and free ports. Process output goes to the test output when the test fails.
/// </summary>
internal sealed class BallastCluster : IAsyncDisposable
{
    public const string NodeId = "node-1";
    public const string BackendName = "app";
    public const string FrontendName = "web";

    private static readonly TimeSpan SyncTimeout = TimeSpan.FromSeconds(30);
    private readonly ITestOutputHelper _output;
    private readonly List<ChildProcess> _finished = [];
    private bool _failed;

    private BallastCluster(ITestOutputHelper output, string root)
    {
        _output = output;
        Root = root;
        Directory.CreateDirectory(LogDir);
        Proxy = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
    }

    public string Root { get; }

    public string LogDir => Path.Combine(Root, "logs");

    public ControlPlaneProcess ControlPlane { get; private set; } = null!;

    public ChildProcess? Node { get; private set; }

    public List<TestBackend> Backends { get; } = [];

    /// <summary>Port of the <c>web</c> frontend.</summary>
    public int ProxyPort { get; } = FreePort.Next();

    public Uri ProxyUrl => new($"http://127.0.0.1:{ProxyPort}/");

    /// <summary>Client for requests through the proxy (5 s timeout).</summary>
    public HttpClient Proxy { get; }

    public AdminClient Admin => ControlPlane.Admin;

    public ITestOutputHelper Output => _output;

    /// <summary>Starts <paramref name="backends"/> backends (s1, s2, ...), the control plane and, unless told not to, the node.</summary>
    public static async Task<BallastCluster> StartAsync(ITestOutputHelper output, int backends = 2, bool startNode = true)
    {
        var root = Path.Combine(Path.GetTempPath(), "ballast-it-" + Guid.NewGuid().ToString("N")[..8]);
        var cluster = new BallastCluster(output, root);
        try
        {
            for (var i = 1; i <= backends; i++)
            {
                cluster.Backends.Add(await TestBackend.StartAsync("s" + i));
            }

            await cluster.StartControlPlaneAsync(FreePort.Next(), FreePort.Next());
            if (startNode)
            {
                cluster.StartNode();
            }

            return cluster;
        }
        catch
        {
            cluster._failed = true;
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <paramref name="body"/> against a fresh cluster; on failure prints every process's output.</summary>
    public static async Task RunAsync(ITestOutputHelper output, Func<BallastCluster, Task> body, int backends = 2)
    {
        var cluster = await StartAsync(output, backends);
        try
        {
            await body(cluster);
        }
        catch
        {
            cluster._failed = true;
            throw;
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    /// <summary>Starts a control plane on these ports with its data (database) in <c>Root/&lt;dataDirName&gt;</c>.</summary>
    public async Task StartControlPlaneAsync(int httpPort, int nodePort, string dataDirName = "controlplane")
    {
        var clock = Stopwatch.StartNew();
        ControlPlane = await ControlPlaneProcess.StartAsync(Path.Combine(Root, dataDirName), LogDir, httpPort, nodePort, dataDirName);
        Log($"control plane on {ControlPlane.BaseUrl} (node port {nodePort}), ready after {clock.ElapsedMilliseconds} ms");
    }

    /// <summary>Kills the control plane (as a crash) and starts it again on the same ports and data directory.</summary>
    public async Task RestartControlPlaneAsync()
    {
        var (http, node) = (ControlPlane.HttpPort, ControlPlane.NodePort);
        KillControlPlane();
        await StartControlPlaneAsync(http, node);
    }

    public void KillControlPlane()
    {
        if (ControlPlane.Process.HasExited)
        {
            return;
        }

        ControlPlane.Process.Kill();
        ControlPlane.Admin.Dispose();
        _finished.Add(ControlPlane.Process);
        Log("control plane killed");
    }

    public void StartNode() => Node = NodeProcess.Start(NodeId, ControlPlane.NodeUrl, Path.Combine(Root, NodeId), LogDir);

    public void KillNode()
    {
        if (Node is { } node)
        {
            node.Kill();
            _finished.Add(node);
            Node = null;
            Log("node killed");
        }
    }

    /// <summary>
    /// The demo configuration: backend <c>app</c> over every backend, frontend <c>web</c> on <see cref="ProxyPort"/>.
    /// The check timeout is 2 s whatever the interval: the backends run in the test process, and on a loaded machine a
    /// 500 ms timeout marked live servers DOWN (L7TOUT) in the middle of tests about something else. A killed backend
    /// still fails its checks at once (connection refused).
    /// </summary>
    public async Task PutDemoConfigAsync(int interMs = 500, int rise = 1, int fall = 2)
    {
        await Admin.PutBackendAsync(new BackendDto(
            BackendName,
            [.. Backends.Select(b => b.ToServer())],
            new HealthCheckDto(InterMs: interMs, Rise: rise, Fall: fall, TimeoutMs: 2000)));
        await Admin.PutFrontendAsync(new FrontendDto(FrontendName, [$"127.0.0.1:{ProxyPort}"], BackendName));
    }

    /// <summary>Publishes, then waits until the node ACKed that version and is SYNCED; logs the publish-to-ACK time.</summary>
    public async Task<long> PublishAndWaitSyncedAsync(string message)
    {
        var version = await Admin.PublishAsync(message);
        var elapsed = await WaitForAppliedAsync(version);
        Log($"published v{version} ('{message}'); node ACKed after {elapsed.TotalMilliseconds:0} ms");
        return version;
    }

    /// <summary>Polls the nodes API every 20 ms until the node applied <paramref name="version"/> and is SYNCED.</summary>
    public async Task<TimeSpan> WaitForAppliedAsync(long version, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        await Wait.UntilAsync(
            async () => await Admin.GetNodeAsync(NodeId) is { Status: "SYNCED" } n && n.AppliedVersion == version,
            timeout ?? SyncTimeout,
            $"{NodeId} to apply v{version} (SYNCED)",
            TimeSpan.FromMilliseconds(20));
        return clock.Elapsed;
    }

    /// <summary>Waits until the proxy answers 200 (the node has bound its frontend and a server is up).</summary>
    public Task WaitForProxyAsync(TimeSpan? timeout = null) => Wait.UntilAsync(
        async () => (await Proxy.GetAsync(ProxyUrl)).IsSuccessStatusCode,
        timeout ?? SyncTimeout,
        $"the proxy on {ProxyUrl} to answer 200");

    /// <summary>Sends <paramref name="count"/> GET requests through the proxy; returns the response bodies (server names).</summary>
    public async Task<List<string>> SendRequestsAsync(int count, bool requireSuccess = true)
    {
        var bodies = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            using var response = await Proxy.GetAsync(new Uri(ProxyUrl, $"req/{i}"));
            var body = (await response.Content.ReadAsStringAsync()).Trim();
            if (requireSuccess)
            {
                Assert.True(response.IsSuccessStatusCode, $"request {i} through the proxy answered {(int)response.StatusCode}: {body}");
            }

            bodies.Add(response.IsSuccessStatusCode ? body : $"HTTP {(int)response.StatusCode}");
        }

        return bodies;
    }

    public void Log(string message) => _output.WriteLine($"{DateTime.Now:HH:mm:ss.fff} {message}");

    public async ValueTask DisposeAsync()
    {
        var clock = Stopwatch.StartNew();
        Node?.Kill();
        ControlPlane?.Process.Kill();
        await Task.WhenAll(Backends.Select(b => b.StopAsync()));
        Log($"stopped everything in {clock.ElapsedMilliseconds} ms");

        var processes = _finished.Concat(new[] { ControlPlane?.Process, Node }.OfType<ChildProcess>()).Distinct().ToList();
        if (_failed)
        {
            foreach (var process in processes)
            {
                _output.WriteLine($"----- output of {process.Name} -----");
                _output.WriteLine(process.Output());
            }

            _output.WriteLine($"(data and logs kept in {Root})");
        }

        foreach (var process in processes)
        {
            process.Dispose();
        }

        ControlPlane?.Admin.Dispose();
        Proxy.Dispose();
        if (!_failed)
        {
            TryDelete(Root);
        }
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
