using System.Collections.Concurrent;

namespace Ballast.DataPlane.Proxy;

/// <summary>
/// Enforces <c>timeout client</c> and <c>timeout server</c> of mode tcp sessions with one shared periodic scan
/// (every <see cref="Resolution"/>) instead of a timer per session or per transfer: a relayed chunk only stores a
/// timestamp. The scan starts with the first session and stops when the watcher is disposed.
/// </summary>
internal sealed class IdleTimeoutWatcher : IAsyncDisposable
{
    /// <summary>How often sessions are checked: timeouts fire up to this late.</summary>
    public static readonly TimeSpan Resolution = TimeSpan.FromMilliseconds(100);

    private readonly ConcurrentDictionary<TcpSession, byte> _sessions = new();
    private readonly TimeProvider _timeProvider;
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _startGate = new();
    private Task? _loop;

    /// <summary>Creates the watcher.</summary>
    /// <param name="timeProvider">Clock of the scan and of session timestamps.</param>
    public IdleTimeoutWatcher(TimeProvider timeProvider) => _timeProvider = timeProvider;

    /// <summary>Sessions being watched.</summary>
    public int Count => _sessions.Count;

    /// <summary>Watches <paramref name="session"/> until <see cref="Remove"/>.</summary>
    /// <param name="session">The session.</param>
    public void Add(TcpSession session)
    {
        _sessions.TryAdd(session, 0);
        if (_loop is null)
        {
            lock (_startGate)
            {
                _loop ??= RunAsync(_stopping.Token);
            }
        }
    }

    /// <summary>Stops watching <paramref name="session"/>.</summary>
    /// <param name="session">The session.</param>
    public void Remove(TcpSession session) => _sessions.TryRemove(session, out _);

    /// <summary>Checks every session once (the periodic scan's body).</summary>
    public void Scan()
    {
        var now = _timeProvider.GetTimestamp();
        foreach (var session in _sessions.Keys)
        {
            session.CheckTimeouts(now);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Resolution, _timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!_sessions.IsEmpty)
                {
                    Scan();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
