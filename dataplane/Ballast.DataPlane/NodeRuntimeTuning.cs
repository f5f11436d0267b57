namespace Ballast.DataPlane;

/// <summary>
/// Process-wide runtime settings of the node that cannot go in <c>runtimeconfig.json</c>, applied by
/// <c>Program</c> before any socket is created. Each was measured with <c>deploy/bench.sh</c> (deploy/BENCHMARKS.md).
/// Not applied in tests (the test host keeps the runtime defaults).
/// </summary>
internal static class NodeRuntimeTuning
{
    /// <summary>The variable read once by System.Net.Sockets (and Kestrel's socket transport) at first use.</summary>
    internal const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Socket completions run inline on the epoll thread instead of being queued to the thread pool, for the
    /// proxy binds (Kestrel's <c>UnsafePreferInlineScheduling</c> defaults to this variable) and for connections to
    /// servers. A proxy's continuations are short and never block, so this saves a thread hop (two context
    /// switches) per read: measured +25-35 % requests per CPU-second in mode tcp and +20 % with a new connection per
    /// request, neutral on HTTP keep-alive. An explicit value in the environment (e.g. <c>0</c>) wins.
    /// </summary>
    public static void Apply()
    {
        if (Environment.GetEnvironmentVariable(InlineCompletionsVariable) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");
        }
    }
}
