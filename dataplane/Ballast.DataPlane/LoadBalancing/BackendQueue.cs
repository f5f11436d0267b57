using Ballast.DataPlane.Config;

namespace Ballast.DataPlane.LoadBalancing;

/// <summary>
/// A backend's wait queue, as HAProxy's backend queue (src/queue.c): a request (http) or connection (tcp) that finds
/// every usable server at its <c>maxconn</c> waits here in arrival order, and each slot a server frees is handed
/// straight to the oldest waiter (<c>process_srv_queue</c> giving a pending connection to the server that released
/// it; between this queue and the server's own <see cref="ServerQueue"/> the older waiter by queue date wins, see
/// <see cref="QueueHandOff"/>), so waiters are served first-in first-out and newcomers cannot overtake them. A waiter whose
/// <c>timeout queue</c> expires leaves the queue (503 / closed connection). <c>qcur</c>/<c>qmax</c> are tracked.
/// Survives snapshot swaps with its <see cref="BackendState"/>.
/// </summary>
internal sealed class BackendQueue
{
    private readonly WaiterList<ServerRuntime> _waiters = new();
    private readonly TimeProvider _timeProvider;
    private long _tickets;

    /// <summary>Creates an empty queue.</summary>
    /// <param name="timeProvider">Clock of <c>timeout queue</c>.</param>
    public BackendQueue(TimeProvider timeProvider) => _timeProvider = timeProvider;

    /// <summary>Clock of <c>timeout queue</c> (also used by the backend's server queues).</summary>
    public TimeProvider TimeProvider => _timeProvider;

    /// <summary>Requests waiting now (HAProxy stats <c>qcur</c>).</summary>
    public int Length => _waiters.Length;

    /// <summary>Most requests ever waiting at once (HAProxy stats <c>qmax</c>).</summary>
    public long Max => _waiters.Max;

    /// <summary>
    /// A new queue date for a request entering this queue or the queue of one of the backend's servers: the
    /// older (smaller) of two waiters is served first.
    /// </summary>
    public long NextTicket() => Interlocked.Increment(ref _tickets);

    /// <summary>The queue date of the oldest waiter.</summary>
    /// <param name="ticket">Its ticket.</param>
    /// <returns>False when the queue is empty.</returns>
    public bool TryPeekTicket(out long ticket) => _waiters.TryPeekTicket(out ticket);

    /// <summary>
    /// Hands the slot <paramref name="server"/> is releasing to the oldest waiter, if any. The slot stays taken and
    /// now belongs to the waiter.
    /// </summary>
    /// <param name="server">The server whose slot is being released.</param>
    /// <returns>True when a waiter took the slot.</returns>
    public bool TryHandOff(ServerRuntime server) => _waiters.TryCompleteOldest(server);

    /// <summary>
    /// Picks a server for a request, waiting in the queue when usable servers exist but are all full.
    /// Completes synchronously when a server has a free slot.
    /// </summary>
    /// <param name="backend">The backend.</param>
    /// <param name="input">What hashing algorithms hash.</param>
    /// <param name="exclusions">Servers to skip (redispatch).</param>
    /// <param name="cancellationToken">The client went away.</param>
    /// <returns>A server with a slot taken, or null: no usable server, or <c>timeout queue</c> expired.</returns>
    public static ValueTask<ServerRuntime?> PickAsync(BackendRuntime backend, BalanceInput input, ServerExclusions exclusions, CancellationToken cancellationToken)
    {
        var server = backend.Balancer.Pick(input, exclusions);
        if (server is not null || !backend.HasUsableServer(exclusions))
        {
            return ValueTask.FromResult(server);
        }

        return backend.State.Queue.WaitAsync(backend, input, exclusions, cancellationToken);
    }

    private async ValueTask<ServerRuntime?> WaitAsync(BackendRuntime backend, BalanceInput input, ServerExclusions exclusions, CancellationToken cancellationToken)
    {
        var node = _waiters.Enqueue(0, NextTicket())!; // unlimited: never null
        var waiter = node.Value.Completion;

        // A slot freed between the failed pick and the enqueue found nobody to hand it to: look once more.
        var picked = backend.Balancer.Pick(input, exclusions);
        if (picked is not null)
        {
            if (_waiters.Leave(node))
            {
                return picked;
            }

            // A slot was handed to us meanwhile too: keep that one.
            picked.Release();
            return await waiter.Task.ConfigureAwait(false);
        }

        try
        {
            return await waiter.Task.WaitAsync(backend.QueueTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            if (_waiters.Leave(node))
            {
                return null;
            }

            // Handed a slot just as the wait ended: give it back (to the next waiter, if any).
            var handed = await waiter.Task.ConfigureAwait(false);
            handed.Release();
            return null;
        }
    }
}
