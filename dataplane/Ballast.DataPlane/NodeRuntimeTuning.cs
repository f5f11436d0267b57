namespace Ballast.DataPlane;

/// <summary>
/// Process-wide runtime settings of the node that cannot go in <c>runtimeconfig.json</c>, applied by
/// <c>Program</c> before any socket is created. Each was measured with <c>deploy/bench.sh</c> (deploy/BENCHMARKS.md).
/// Not applied in tests (the test host keeps the runtime defaults).
/// </summary>
internal static class NodeRuntimeTuning
{
    /// <summary>The variable read once by System.Net.Sockets at first use.</summary>
    internal const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// With Kestrel's socket transport (<c>BALLAST_TRANSPORT=sockets</c>; the default epoll transport always runs its
    /// pipes on its loops): whether Kestrel socket connections (binds, connections to servers) run their pipe
    /// continuations inline (<c>UnsafePreferInlineScheduling</c>) instead of on the thread pool and Kestrel's I/O
    /// queues: true when socket completions are inline (<see cref="InlineCompletionsVariable"/> is <c>1</c>). Kestrel
    /// does not read the variable itself (checked on ASP.NET Core 10.0.12), so every socket transport of the node
    /// must take this value explicitly. Read at each use: tests that do not set the variable keep Kestrel's defaults.
    /// </summary>
    public static bool InlineScheduling => Environment.GetEnvironmentVariable(InlineCompletionsVariable) == "1";

    /// <summary>The variable read once by System.Net.Sockets at first use: how many socket engine (epoll) threads.</summary>
    internal const string SocketThreadCountVariable = "DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT";

    /// <summary>
    /// Event loops of the node's epoll transport, and .NET socket engine threads (mode tcp's server sockets, the YARP
    /// path's connections, health checks, the control-plane stream) when the environment sets none: half the cores, at
    /// least one. With inline
    /// completions each engine thread is a whole event loop (HAProxy's thread); .NET's default is one per core, which
    /// on the 2-core benchmark machine put two loops of one process in the run queue next to the clients and servers
    /// sharing it: each waited as long for a core as it ran (109-144 us per wake-up against HAProxy's 18-31 us) and the
    /// http50 p99 was 5-6.4 ms against HAProxy's 2.8-3.2 ms; one loop: 3.7-4.2 ms at the same requests per CPU-second
    /// (deploy/BENCHMARKS.md, session 4). Measured on 2 cores only.
    /// </summary>
    public static int DefaultSocketThreads => Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>
    /// Event loops of the node's epoll transport: <see cref="SocketThreadCountVariable"/> when it holds a positive
    /// number (the operator's <c>nbthread</c>), else <see cref="DefaultSocketThreads"/>.
    /// </summary>
    public static int EventLoops => LoopsFrom(Environment.GetEnvironmentVariable(SocketThreadCountVariable));

    /// <summary>Parses a loop count: a positive integer, else <see cref="DefaultSocketThreads"/>.</summary>
    /// <param name="value">The variable's value, or null.</param>
    internal static int LoopsFrom(string? value) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var loops) && loops > 0
            ? Math.Min(loops, 256)
            : DefaultSocketThreads;

    /// <summary>
    /// Socket completions run inline on the epoll threads instead of being queued to the thread pool, for the
    /// proxy binds and for connections to servers, and Kestrel's pipes of those sockets schedule inline too
    /// (<see cref="InlineScheduling"/>). A proxy's continuations are short and never block, so this saves thread
    /// hops (two context switches each) per read and per write: see deploy/BENCHMARKS.md for the figures.
    /// The engine runs <see cref="DefaultSocketThreads"/> threads. An explicit value in the environment of either
    /// variable (e.g. <c>0</c>) wins.
    /// </summary>
    public static void Apply()
    {
        if (Environment.GetEnvironmentVariable(InlineCompletionsVariable) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");
        }

        if (Environment.GetEnvironmentVariable(SocketThreadCountVariable) is null)
        {
            Environment.SetEnvironmentVariable(SocketThreadCountVariable, DefaultSocketThreads.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
