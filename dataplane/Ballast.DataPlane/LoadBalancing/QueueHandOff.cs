using Ballast.DataPlane.Config;

namespace Ballast.DataPlane.LoadBalancing;

/// <summary>
/// What a server does with a slot it frees, as HAProxy's <c>process_srv_queue</c> / <c>pendconn_process_next_strm</c>:
/// the oldest waiter, by queue date, of the server's own queue (<see cref="ServerQueue"/>) and of the backend's
/// queue (<see cref="BackendQueue"/>) gets it. The server's own queue is served while the server is UP and not in
/// maintenance (DRAIN and weight 0 still serve persistent requests); the backend's queue only while the server is
/// usable.
/// </summary>
internal static class QueueHandOff
{
    /// <summary>Hands <paramref name="server"/>'s slot to the oldest eligible waiter.</summary>
    /// <param name="server">The server releasing a slot.</param>
    /// <returns>True when a waiter took the slot (it stays taken).</returns>
    public static bool TryHandOff(ServerRuntime server)
    {
        var own = server.Admin != AdminState.Maint && server.IsUp && server.PendingQueue.Length > 0 ? server.PendingQueue : null;
        var shared = server.Queue is { Length: > 0 } queue && server.IsUsable ? queue : null;
        if (own is null)
        {
            return shared is not null && shared.TryHandOff(server);
        }

        if (shared is null)
        {
            return own.TryHandOff();
        }

        var ownTicket = own.TryPeekTicket(out var a) ? a : long.MaxValue;
        var sharedTicket = shared.TryPeekTicket(out var b) ? b : long.MaxValue;
        return ownTicket <= sharedTicket
            ? own.TryHandOff() || shared.TryHandOff(server)
            : shared.TryHandOff(server) || own.TryHandOff();
    }
}
