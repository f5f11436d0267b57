using Ballast.DataPlane.Config;

namespace Ballast.DataPlane.LoadBalancing;

/// <summary>
/// A server's own wait queue, as HAProxy's server queue (src/queue.c <c>pendconn_add</c> on <c>srv-&gt;queue</c>): a
/// request bound to the server by persistence (cookie, stick table) that finds it at <c>maxconn</c> waits here,
/// at most <c>maxqueue</c> of them (<see cref="ServerRuntime.MaxQueue"/>). A slot the server frees goes to the
/// oldest waiter of this queue or of the backend's queue, by queue date (<see cref="QueueHandOff"/>); a waiter whose
/// <c>timeout queue</c> expires leaves with a 503. When the server goes DOWN or into MAINT while requests wait, with
/// <c>option redispatch</c> they all leave to be balanced (HAProxy <c>pendconn_redistribute</c>, called by
/// <c>srv_update_status</c>); without it they stay until the server is back or <c>timeout queue</c>. Tracks
/// <c>qcur</c>/<c>qmax</c>; survives snapshot swaps with the server's <see cref="ServerState"/>.
/// </summary>
internal sealed class ServerQueue
{
    private readonly WaiterList<bool> _waiters = new();

    /// <summary>Requests waiting now (HAProxy stats <c>qcur</c> of the server).</summary>
    public int Length => _waiters.Length;

    /// <summary>Most requests ever waiting at once (<c>qmax</c>).</summary>
    public long Max => _waiters.Max;

    /// <summary>
    /// Takes a slot on the persistent server <paramref name="server"/>, waiting in its queue when it is at
    /// <c>maxconn</c> or already has waiters (HAProxy <c>assign_server_and_queue</c> for an assigned server).
    /// </summary>
    /// <param name="server">The server persistence designates (UP, not in maintenance).</param>
    /// <param name="backend">Its backend (queue dates, <c>timeout queue</c>).</param>
    /// <param name="cancellationToken">The client went away.</param>
    /// <returns>
    /// <see cref="ServerQueueResult.Served"/> with a slot taken; <see cref="ServerQueueResult.Full"/> when the queue
    /// holds <c>maxqueue</c> waiters (HAProxy <c>SRV_STATUS_FULL</c>: redispatch or 503);
    /// <see cref="ServerQueueResult.TimedOut"/> when <c>timeout queue</c> expired or the client left;
    /// <see cref="ServerQueueResult.Redispatched"/> when the server became unavailable with <c>option redispatch</c>.
    /// </returns>
    public static async ValueTask<ServerQueueResult> AcquireAsync(ServerRuntime server, BackendRuntime backend, CancellationToken cancellationToken)
    {
        var queue = server.PendingQueue;
        if (queue.Length == 0 && server.TryAcquire())
        {
            return ServerQueueResult.Served;
        }

        if (server.MaxConn <= 0)
        {
            return ServerQueueResult.Full; // no maxconn: TryAcquire cannot fail, defensive only
        }

        var node = queue._waiters.Enqueue(server.MaxQueue, backend.State.Queue.NextTicket());
        if (node is null)
        {
            return ServerQueueResult.Full;
        }

        var waiter = node.Value.Completion;
        if (queue.Length == 1 && server.TryAcquire())
        {
            // A slot freed between the failed attempt and the enqueue found nobody to hand it to.
            if (queue._waiters.Leave(node))
            {
                return ServerQueueResult.Served;
            }

            server.Release();
            return await waiter.Task.ConfigureAwait(false) ? ServerQueueResult.Served : ServerQueueResult.Redispatched;
        }

        _ = QueueRedistribution.WatchAsync(server, backend, waiter.Task);
        try
        {
            return await waiter.Task.WaitAsync(backend.QueueTimeout, backend.State.Queue.TimeProvider, cancellationToken).ConfigureAwait(false)
                ? ServerQueueResult.Served
                : ServerQueueResult.Redispatched;
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            if (queue._waiters.Leave(node))
            {
                return ServerQueueResult.TimedOut;
            }

            // Handed a slot just as the wait ended: give it back (to the next waiter, if any).
            if (!await waiter.Task.ConfigureAwait(false))
            {
                return ServerQueueResult.Redispatched; // redistributed just as the wait ended: no slot was taken
            }

            server.Release();
            return ServerQueueResult.TimedOut;
        }
    }

    /// <summary>The queue date of the oldest waiter.</summary>
    /// <param name="ticket">Its ticket (<see cref="BackendQueue.NextTicket"/>).</param>
    /// <returns>False when the queue is empty.</returns>
    public bool TryPeekTicket(out long ticket) => _waiters.TryPeekTicket(out ticket);

    /// <summary>Hands the slot being released to the oldest waiter; the slot stays taken and is now the waiter's.</summary>
    /// <returns>True when a waiter took the slot.</returns>
    public bool TryHandOff() => _waiters.TryCompleteOldest(true);

    /// <summary>
    /// Sends every waiter back to be balanced, without a slot (HAProxy <c>pendconn_redistribute</c>): their
    /// <see cref="AcquireAsync"/> answers <see cref="ServerQueueResult.Redispatched"/>.
    /// </summary>
    /// <returns>How many waiters left.</returns>
    public int Redistribute() => _waiters.CompleteAll(false);
}

/// <summary>How a request bound to a server fared in the server's queue.</summary>
internal enum ServerQueueResult
{
    /// <summary>A slot on the server was taken.</summary>
    Served,

    /// <summary>The server's queue holds <c>maxqueue</c> requests (HAProxy <c>SRV_STATUS_FULL</c>).</summary>
    Full,

    /// <summary><c>timeout queue</c> expired (503) or the client went away.</summary>
    TimedOut,

    /// <summary>
    /// The server went DOWN or into MAINT while the request waited, with <c>option redispatch</c> (HAProxy
    /// <c>pendconn_redistribute</c>): no slot was taken, the request is balanced among the other servers.
    /// </summary>
    Redispatched,
}
