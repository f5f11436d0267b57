using Ballast.DataPlane.Config;

namespace Ballast.DataPlane.LoadBalancing;

/// <summary>
/// HAProxy's <c>pendconn_redistribute</c> (src/queue.c), run by <c>srv_update_status</c> when a server goes DOWN or
/// into MAINT: with <c>option redispatch</c> every request waiting in the server's own queue leaves it to be balanced
/// among the other servers (persistence ignored); without it they stay, until the server is back or <c>timeout
/// queue</c>. A waiting request watches its backend's <see cref="BackendState.HealthChanged"/> (health transitions,
/// runtime <c>set server state</c>, snapshot swaps) for as long as it waits.
/// </summary>
internal static class QueueRedistribution
{
    /// <summary>Whether the requests queued on <paramref name="server"/> must be redistributed now.</summary>
    /// <param name="server">The server.</param>
    /// <param name="backend">Its backend (<c>option redispatch</c>).</param>
    public static bool ShouldRedistribute(ServerRuntime server, BackendRuntime backend) =>
        backend.Options.Redispatch != 0 && (server.Admin == AdminState.Maint || !server.IsUp);

    /// <summary>
    /// Watches, until <paramref name="waiter"/> completes, for <paramref name="server"/> becoming unavailable, then
    /// redistributes its queue. Never throws.
    /// </summary>
    /// <param name="server">The server a request waits for.</param>
    /// <param name="backend">Its backend.</param>
    /// <param name="waiter">The request's wait (completes when served, redistributed, timed out or cancelled).</param>
    public static async Task WatchAsync(ServerRuntime server, BackendRuntime backend, Task waiter)
    {
        while (!waiter.IsCompleted)
        {
            var changed = backend.State.HealthChanged;
            if (ShouldRedistribute(server, backend))
            {
                server.PendingQueue.Redistribute();
                return;
            }

            await Task.WhenAny(waiter, changed).ConfigureAwait(false);
        }
    }
}
