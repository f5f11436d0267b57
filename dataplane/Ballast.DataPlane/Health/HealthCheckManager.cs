using Ballast.DataPlane.Config;
using Microsoft.Extensions.Logging;

namespace Ballast.DataPlane.Health;

/// <summary>
/// Runs one check loop per checked server (HAProxy <c>check</c>, not in MAINT): a check, then a pause of
/// <c>inter</c>, until the loop is cancelled. <see cref="Reconcile"/> is called after each snapshot swap: loops of
/// removed servers are cancelled, new servers get a loop, a server whose check settings changed gets a new loop on
/// the same <see cref="ServerHealth"/>, and unchanged servers keep their loop, state and counters. The first check
/// runs as soon as a loop starts (HAProxy would spread first checks over <c>inter</c>). The pause follows HAProxy's
/// <c>srv_getinter</c>: <c>inter</c> when fully UP, <c>downinter</c> when fully DOWN, <c>fastinter</c> in between; the
/// check connects to the server's <c>addr</c>/<c>port</c> check options when set.
/// </summary>
internal sealed partial class HealthCheckManager : IAsyncDisposable
{
    private readonly IHealthProbe _probe;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly Dictionary<ServerState, CheckLoop> _loops = new(ReferenceEqualityComparer.Instance);
    private bool _disposed;

    /// <summary>Creates the manager.</summary>
    /// <param name="probe">Runs single checks.</param>
    /// <param name="timeProvider">Clock for the pauses between checks.</param>
    /// <param name="logger">Logs UP/DOWN transitions.</param>
    public HealthCheckManager(IHealthProbe probe, TimeProvider timeProvider, ILogger<HealthCheckManager> logger)
    {
        _probe = probe;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Number of running check loops.</summary>
    public int RunningLoops
    {
        get
        {
            lock (_gate)
            {
                return _loops.Count;
            }
        }
    }

    /// <summary>Starts, keeps, restarts or stops check loops so they match <paramref name="model"/>.</summary>
    /// <param name="model">The model now being served.</param>
    public void Reconcile(RuntimeModel model)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            var wanted = new HashSet<ServerState>(ReferenceEqualityComparer.Instance);
            foreach (var backend in model.Backends)
            {
                foreach (var server in backend.Servers)
                {
                    if (!server.IsChecked)
                    {
                        continue;
                    }

                    wanted.Add(server.State);
                    if (_loops.TryGetValue(server.State, out var existing))
                    {
                        if (existing.Settings == server.Check)
                        {
                            continue;
                        }

                        existing.Cancel();
                    }

                    _loops[server.State] = Start(server, backend);
                }
            }

            foreach (var (state, loop) in _loops.ToArray())
            {
                if (!wanted.Contains(state))
                {
                    loop.Cancel();
                    _loops.Remove(state);
                }
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        CheckLoop[] loops;
        lock (_gate)
        {
            _disposed = true;
            loops = [.. _loops.Values];
            _loops.Clear();
        }

        foreach (var loop in loops)
        {
            loop.Cancel();
        }

        foreach (var loop in loops)
        {
            await loop.Completion.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private CheckLoop Start(ServerRuntime server, BackendRuntime backend)
    {
        var settings = server.Check!;
        var cts = new CancellationTokenSource();
        var task = Task.Run(() => RunAsync(server, backend, settings, cts.Token), CancellationToken.None);
        return new CheckLoop(settings, cts, task);
    }

    private async Task RunAsync(ServerRuntime server, BackendRuntime backend, HealthCheckSettings settings, CancellationToken cancellationToken)
    {
        var health = server.State.Health;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                CheckResult result;
                try
                {
                    result = await _probe.CheckAsync(settings.Address ?? server.Address, settings.Port > 0 ? settings.Port : server.Port, settings, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // A check that could not run (e.g. no descriptor left for its socket) is a failed check, as HAProxy's
                    // SOCKERR; the loop goes on, so the server comes back once checks can run again.
                    LogCheckCrashed(_logger, ex, server.BackendName, server.Name);
                    result = new CheckResult(CheckStatus.SocketError, 0, TimeSpan.Zero, ex.Message);
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                if (health.Report(result, settings.Rise, settings.Fall))
                {
                    LogTransition(server, backend, result);
                    SlowStartWarmup.OnTransition(server, backend, _timeProvider, cancellationToken);
                }

                var interval = PassiveHealthSchedule.IntervalAfterCheck(settings, health);
                await PassiveHealthSchedule.PauseAsync(settings, health, interval, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogLoopFailed(_logger, ex, server.BackendName, server.Name);
        }
    }

    private void LogTransition(ServerRuntime server, BackendRuntime backend, CheckResult result)
    {
        var remaining = 0;
        foreach (var candidate in backend.Servers)
        {
            if (candidate.IsUsable)
            {
                remaining++;
            }
        }

        var reason = result.Status switch
        {
            CheckStatus.L4Ok or CheckStatus.L4Timeout or CheckStatus.L4Connection => "Layer4",
            CheckStatus.L7Ok or CheckStatus.L7Timeout or CheckStatus.L7Response or CheckStatus.L7Status => "Layer7",
            _ => "Socket",
        };
        if (server.State.Health.IsUp)
        {
            LogServerUp(_logger, server.BackendName, server.Name, reason, result.Status.ToHaproxyName(), (long)result.Duration.TotalMilliseconds, remaining);
        }
        else
        {
            LogServerDown(_logger, server.BackendName, server.Name, reason, result.Status.ToHaproxyName(), result.Detail ?? string.Empty, (long)result.Duration.TotalMilliseconds, remaining);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health check of {Backend}/{Server} could not run; counted as failed (SOCKERR)")]
    private static partial void LogCheckCrashed(ILogger logger, Exception exception, string backend, string server);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Server {Backend}/{Server} is DOWN, reason: {Layer} check failed ({Status}), info: \"{Detail}\", check duration: {DurationMs}ms. {Remaining} active servers left.")]
    private static partial void LogServerDown(ILogger logger, string backend, string server, string layer, string status, string detail, long durationMs, int remaining);

    [LoggerMessage(Level = LogLevel.Information, Message = "Server {Backend}/{Server} is UP, reason: {Layer} check passed ({Status}), check duration: {DurationMs}ms. {Remaining} active servers online.")]
    private static partial void LogServerUp(ILogger logger, string backend, string server, string layer, string status, long durationMs, int remaining);

    [LoggerMessage(Level = LogLevel.Error, Message = "Health check loop of {Backend}/{Server} failed")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception, string backend, string server);

    private sealed record CheckLoop(HealthCheckSettings Settings, CancellationTokenSource Cancellation, Task Completion)
    {
        public void Cancel()
        {
            Cancellation.Cancel();
            _ = Completion.ContinueWith(_ => Cancellation.Dispose(), TaskScheduler.Default);
        }
    }
}
