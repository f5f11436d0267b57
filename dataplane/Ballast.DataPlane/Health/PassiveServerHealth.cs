using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Health;

/// <summary>
/// Passive health state of a server, as HAProxy's <c>__health_adjust</c> (src/check.c): consecutive observed errors,
/// the <c>on-error</c> actions on the check state machine, <c>hanafail</c>, and the request to run the next check at
/// <c>fastinter</c>.
/// </summary>
internal sealed partial class ServerHealth
{
    private int _consecutiveErrors;
    private long _hanafail;
    private int _fastInterForced;
    private TaskCompletionSource _fastInterSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Consecutive errors observed since the last success or trigger.</summary>
    public int ConsecutiveErrors => Volatile.Read(ref _consecutiveErrors);

    /// <summary>Times <c>error-limit</c> was reached (HAProxy <c>hanafail</c>).</summary>
    public long PassiveFailures => Volatile.Read(ref _hanafail);

    /// <summary>Whether the pause after the next check is <c>fastinter</c> even when fully UP (HAProxy <c>CHK_ST_FASTINTER</c>).</summary>
    public bool FastInterForced => Volatile.Read(ref _fastInterForced) != 0;

    /// <summary>Completes when <c>on-error</c> asks the check loop to run sooner; replaced after each signal.</summary>
    public Task FastInterSignal => Volatile.Read(ref _fastInterSignal).Task;

    /// <summary>Clears the consecutive error count (an observed success).</summary>
    public void ObserveSuccess()
    {
        if (Volatile.Read(ref _consecutiveErrors) != 0)
        {
            Volatile.Write(ref _consecutiveErrors, 0);
        }
    }

    /// <summary>
    /// Counts one observed error; when <paramref name="settings"/>' <c>error-limit</c> is reached, runs its
    /// <c>on-error</c> action, resets the count, counts <c>hanafail</c> and forces <c>fastinter</c>.
    /// </summary>
    /// <param name="settings">The server's passive health settings.</param>
    /// <param name="check">The server's check settings (rise/fall).</param>
    /// <param name="lastError">What the last error was, for the check detail.</param>
    /// <returns>True when the server changed between UP and DOWN.</returns>
    public bool ObserveError(PassiveHealthSettings settings, HealthCheckSettings check, string lastError)
    {
        var count = Interlocked.Increment(ref _consecutiveErrors);
        if (count < settings.ErrorLimit)
        {
            return false;
        }

        bool changed;
        lock (_gate)
        {
            // Another thread may have triggered and reset the count meanwhile.
            if (Volatile.Read(ref _consecutiveErrors) < settings.ErrorLimit)
            {
                return false;
            }

            Volatile.Write(ref _fastInterForced, 1);
            changed = ApplyOnError(settings.OnError, check, $"Detected {count} consecutive errors, last one was: {lastError}");
            Volatile.Write(ref _consecutiveErrors, 0);
            Interlocked.Increment(ref _hanafail);
        }

        if (check.FastInter > TimeSpan.Zero)
        {
            // HAProxy advances the check task only when fastinter is set.
            Interlocked.Exchange(ref _fastInterSignal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }

        return changed;
    }

    /// <summary>Clears the forced <c>fastinter</c> once a check completed and its pause was chosen.</summary>
    public void ClearFastInter() => Volatile.Write(ref _fastInterForced, 0);

    private bool ApplyOnError(V1.OnError onError, HealthCheckSettings check, string detail)
    {
        var rise = Math.Max(1, check.Rise);
        var failure = new CheckResult(CheckStatus.HealthAnalyze, 0, TimeSpan.Zero, detail);
        switch (onError)
        {
            case V1.OnError.SuddenDeath:
                // A pre-fatal failed check: health drops to rise + 1, then one failure (below) leaves rise: one more
                // failed check marks the server DOWN.
                if (_health > rise)
                {
                    _health = rise + 1;
                }

                return Report(failure, check.Rise, check.Fall);
            case V1.OnError.FailCheck:
                return Report(failure, check.Rise, check.Fall);
            case V1.OnError.MarkDown:
                // health = rise, then a failure goes below rise: DOWN at once.
                if (_isUp)
                {
                    _health = rise;
                }

                return Report(failure, check.Rise, check.Fall);
            default:
                return false; // fastinter: only the next check is brought forward
        }
    }
}
