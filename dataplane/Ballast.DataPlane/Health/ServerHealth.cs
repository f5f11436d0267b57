namespace Ballast.DataPlane.Health;

/// <summary>
/// Operational (health) state of one server and its check counters, following HAProxy's check state machine
/// (src/check.c): a <c>health</c> counter runs from 0 to <c>rise + fall - 1</c>; the server is UP while it is at
/// least <c>rise</c>. A passed check increments it and, once it reaches <c>rise</c>, sets it to the maximum; a failed
/// check decrements it (counting <c>chkfail</c>) and, once it drops below <c>rise</c>, resets it to 0. So an UP server
/// goes DOWN after <c>fall</c> consecutive failures and a DOWN server comes UP after <c>rise</c> consecutive successes.
/// Servers start UP (health at its maximum, status <c>INI</c>), as HAProxy does at startup. An instance is kept across
/// snapshot swaps while the server is unchanged, so its state and counters survive reconfiguration.
/// </summary>
internal sealed partial class ServerHealth
{
    private readonly object _gate = new();
    private readonly TimeProvider _timeProvider;
    private readonly Action? _onStateChanged;
    private volatile bool _isUp = true;
    private int _health;
    private int _checkStatus = (int)CheckStatus.Initializing;
    private int _checkCode;
    private long _checkDurationMs;
    private long _chkfail;
    private long _chkdown;
    private long _lastChangeUnixMs;

    /// <summary>Creates the state of a server that starts UP.</summary>
    /// <param name="timeProvider">Clock for <c>lastchg</c>.</param>
    /// <param name="rise">Initial <c>rise</c>.</param>
    /// <param name="fall">Initial <c>fall</c>.</param>
    /// <param name="onStateChanged">Called after every UP/DOWN transition (the backend rebuilds its balancing).</param>
    public ServerHealth(TimeProvider timeProvider, int rise, int fall, Action? onStateChanged = null)
    {
        _timeProvider = timeProvider;
        _onStateChanged = onStateChanged;
        _health = rise + fall - 1;
        _lastChangeUnixMs = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
    }

    /// <summary>Whether the server is operationally UP (read on the request path).</summary>
    public bool IsUp => _isUp;

    /// <summary>The HAProxy <c>health</c> counter.</summary>
    public int Health => Volatile.Read(ref _health);

    /// <summary>Status of the last completed check (<c>check_status</c>); <c>INI</c> before the first.</summary>
    public CheckStatus LastStatus => (CheckStatus)Volatile.Read(ref _checkStatus);

    /// <summary>HTTP status of the last HTTP check (<c>check_code</c>); 0 when none.</summary>
    public int LastCode => Volatile.Read(ref _checkCode);

    /// <summary>Duration of the last check in ms (<c>check_duration</c>).</summary>
    public long LastDurationMs => Volatile.Read(ref _checkDurationMs);

    /// <summary>Failed checks (<c>chkfail</c>).</summary>
    public long FailedChecks => Volatile.Read(ref _chkfail);

    /// <summary>UP to DOWN transitions (<c>chkdown</c>).</summary>
    public long DownTransitions => Volatile.Read(ref _chkdown);

    /// <summary>Unix time (ms) of the last status change, for <c>lastchg</c>.</summary>
    public long LastChangeUnixMs => Volatile.Read(ref _lastChangeUnixMs);

    /// <summary>Records a status change made outside checks (e.g. an administrative state change), for <c>lastchg</c>.</summary>
    public void TouchLastChange() =>
        Volatile.Write(ref _lastChangeUnixMs, _timeProvider.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>
    /// Applies one check result, as HAProxy <c>set_server_check_status</c>.
    /// </summary>
    /// <param name="result">The check result.</param>
    /// <param name="rise">Current <c>rise</c> setting (at least 1).</param>
    /// <param name="fall">Current <c>fall</c> setting (at least 1).</param>
    /// <returns>True when the server changed between UP and DOWN.</returns>
    public bool Report(CheckResult result, int rise, int fall)
    {
        rise = Math.Max(1, rise);
        fall = Math.Max(1, fall);
        var max = rise + fall - 1;
        bool changed;
        lock (_gate)
        {
            Volatile.Write(ref _checkStatus, (int)result.Status);
            Volatile.Write(ref _checkCode, result.Code);
            Volatile.Write(ref _checkDurationMs, (long)result.Duration.TotalMilliseconds);

            // Settings may have changed since the last check: keep the counter within the new range and in the
            // half that matches the current state.
            var health = Math.Min(_health, max);
            if (_isUp && health < rise)
            {
                health = rise;
            }
            else if (!_isUp && health >= rise)
            {
                health = rise - 1;
            }

            if (result.IsSuccess)
            {
                if (health < max)
                {
                    health++;
                    if (health >= rise)
                    {
                        health = max;
                    }
                }
            }
            else if (health > 0)
            {
                Interlocked.Increment(ref _chkfail);
                health--;
                if (health < rise)
                {
                    health = 0;
                }
            }

            Volatile.Write(ref _health, health);
            var up = health >= rise;
            changed = up != _isUp;
            if (changed)
            {
                if (!up)
                {
                    Interlocked.Increment(ref _chkdown);
                }

                _isUp = up;
                TouchLastChange();
            }
        }

        if (changed)
        {
            _onStateChanged?.Invoke();
        }

        return changed;
    }
}
