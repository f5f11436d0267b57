using Ballast.DataPlane.Config;

namespace Ballast.DataPlane.Health;

/// <summary>
/// HAProxy <c>slowstart</c>: when a checked server comes back UP (not at start-up, where servers start at full
/// weight), its effective weight ramps linearly from near 0 to 100% over the slowstart time
/// (<c>server_recalc_eweight</c>: <c>max(1, 100 * elapsed / slowstart)</c> percent). The ramp is updated in 20 steps
/// (at least every 100 ms; HAProxy's warmup task runs every <c>max(1s, slowstart/20)</c>) and each step rebuilds the
/// backend's balancing through its health epoch. Only dynamic algorithms read the effective weight (roundrobin,
/// leastconn); HAProxy's maxconn ramp (<c>srv_dynamic_maxconn</c>) is not applied. Going DOWN ends the ramp.
/// </summary>
internal static class SlowStartWarmup
{
    private static readonly TimeSpan MinStep = TimeSpan.FromMilliseconds(100);

    /// <summary>Starts the ramp after an UP transition of <paramref name="server"/>; resets it after a DOWN one.</summary>
    /// <param name="server">The server that changed state.</param>
    /// <param name="backend">Its backend (the health epoch to bump).</param>
    /// <param name="timeProvider">Clock of the ramp.</param>
    /// <param name="cancellationToken">The server's check loop ended.</param>
    public static void OnTransition(ServerRuntime server, BackendRuntime backend, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (server.SlowStart <= TimeSpan.Zero)
        {
            return;
        }

        if (!server.State.Health.IsUp)
        {
            server.State.WarmupPercent = 100;
            return;
        }

        server.State.WarmupPercent = 1;
        backend.State.BumpHealthEpoch();
        _ = Task.Run(() => RampAsync(server, backend, timeProvider, cancellationToken), CancellationToken.None);
    }

    private static async Task RampAsync(ServerRuntime server, BackendRuntime backend, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var step = TimeSpan.FromTicks(Math.Max(MinStep.Ticks, server.SlowStart.Ticks / 20));
        try
        {
            while (server.State.Health.IsUp)
            {
                await Task.Delay(step, timeProvider, cancellationToken).ConfigureAwait(false);
                var elapsed = timeProvider.GetElapsedTime(started);
                var percent = elapsed >= server.SlowStart ? 100 : Math.Max(1, (int)(100 * elapsed.Ticks / server.SlowStart.Ticks));
                if (!server.State.Health.IsUp)
                {
                    return;
                }

                server.State.WarmupPercent = percent;
                backend.State.BumpHealthEpoch();
                if (percent >= 100)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            server.State.WarmupPercent = 100;
        }
    }
}
