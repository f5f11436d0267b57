namespace Ballast.DataPlane.LoadBalancing;

/// <summary>
/// The FIFO of requests waiting for a server slot, shared by <see cref="BackendQueue"/> and <see cref="ServerQueue"/>
/// (HAProxy's <c>pendconn</c> lists): each waiter carries a queue date (ticket) and a completion that receives what it
/// waited for; <see cref="Length"/> and <see cref="Max"/> are HAProxy's <c>qcur</c>/<c>qmax</c>. Thread-safe.
/// </summary>
/// <typeparam name="T">What a waiter is handed: the server holding its slot, or whether it got one.</typeparam>
internal sealed class WaiterList<T>
{
    private readonly object _gate = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private int _length;
    private long _max;

    /// <summary>Waiters now (<c>qcur</c>).</summary>
    public int Length => Volatile.Read(ref _length);

    /// <summary>Most waiters ever at once (<c>qmax</c>).</summary>
    public long Max => Volatile.Read(ref _max);

    /// <summary>Appends a waiter unless <paramref name="limit"/> waiters are there already.</summary>
    /// <param name="limit">Most waiters allowed (HAProxy <c>maxqueue</c>); 0 = unlimited.</param>
    /// <param name="ticket">The waiter's queue date.</param>
    /// <returns>The waiter, or null when the list is full.</returns>
    public LinkedListNode<Waiter>? Enqueue(int limit, long ticket)
    {
        lock (_gate)
        {
            if (limit > 0 && _waiters.Count >= limit)
            {
                return null;
            }

            var node = _waiters.AddLast(new Waiter(new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously), ticket));
            Volatile.Write(ref _length, _waiters.Count);
            if (_waiters.Count > _max)
            {
                Volatile.Write(ref _max, _waiters.Count);
            }

            return node;
        }
    }

    /// <summary>Removes a waiter that has not been completed (its completion is cancelled).</summary>
    /// <returns>False when it was completed first: its result must be taken.</returns>
    public bool Leave(LinkedListNode<Waiter> node)
    {
        lock (_gate)
        {
            if (!node.Value.Completion.TrySetCanceled())
            {
                return false;
            }

            if (node.List is not null)
            {
                _waiters.Remove(node);
                Volatile.Write(ref _length, _waiters.Count);
            }

            return true;
        }
    }

    /// <summary>The queue date of the oldest waiter.</summary>
    /// <param name="ticket">Its ticket.</param>
    /// <returns>False when the list is empty.</returns>
    public bool TryPeekTicket(out long ticket)
    {
        ticket = 0;
        if (Volatile.Read(ref _length) == 0)
        {
            return false;
        }

        lock (_gate)
        {
            if (_waiters.First is not { } first)
            {
                return false;
            }

            ticket = first.Value.Ticket;
            return true;
        }
    }

    /// <summary>Completes the oldest waiter with <paramref name="value"/>.</summary>
    /// <returns>True when a waiter took it.</returns>
    public bool TryCompleteOldest(T value)
    {
        if (Volatile.Read(ref _length) == 0)
        {
            return false;
        }

        lock (_gate)
        {
            while (_waiters.First is { } first)
            {
                _waiters.RemoveFirst();
                Volatile.Write(ref _length, _waiters.Count);
                if (first.Value.Completion.TrySetResult(value))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Completes every waiter with <paramref name="value"/>.</summary>
    /// <returns>How many waiters were completed.</returns>
    public int CompleteAll(T value)
    {
        if (Volatile.Read(ref _length) == 0)
        {
            return 0;
        }

        var completed = 0;
        lock (_gate)
        {
            while (_waiters.First is { } first)
            {
                _waiters.RemoveFirst();
                if (first.Value.Completion.TrySetResult(value))
                {
                    completed++;
                }
            }

            Volatile.Write(ref _length, 0);
        }

        return completed;
    }

    /// <summary>A waiting request: its completion and its queue date.</summary>
    /// <param name="Completion">Completed with what it waited for, or cancelled when it leaves.</param>
    /// <param name="Ticket">Queue date: the smaller of two waiters is the older.</param>
    public sealed record Waiter(TaskCompletionSource<T> Completion, long Ticket);
}
