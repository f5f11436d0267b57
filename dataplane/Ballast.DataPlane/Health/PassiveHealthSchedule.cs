namespace Ballast.DataPlane.Health;

/// <summary>
/// The pause of a check loop between two checks, with passive health's <c>fastinter</c> requests: as HAProxy, the
/// pause after a check is <c>srv_getinter</c> with the forced-fastinter flag (then the flag is cleared), and an
/// <c>on-error</c> trigger during a pause brings the next check forward to at most <c>fastinter</c> from then.
/// </summary>
internal static class PassiveHealthSchedule
{
    /// <summary>The pause after a check: <see cref="HealthCheckSettings.IntervalFor"/>, or <c>fastinter</c> when forced while fully UP.</summary>
    /// <param name="settings">The check settings.</param>
    /// <param name="health">The server's health.</param>
    public static TimeSpan IntervalAfterCheck(HealthCheckSettings settings, ServerHealth health)
    {
        var forced = health.FastInterForced;
        health.ClearFastInter();
        if (forced && health.Health >= settings.Rise + settings.Fall - 1)
        {
            return settings.FastInter > TimeSpan.Zero ? settings.FastInter : settings.Inter;
        }

        return settings.IntervalFor(health.Health);
    }

    /// <summary>Waits <paramref name="interval"/>, cut short to <c>fastinter</c> when passive health asks for it.</summary>
    /// <param name="settings">The check settings.</param>
    /// <param name="health">The server's health.</param>
    /// <param name="interval">The planned pause.</param>
    /// <param name="timeProvider">Clock.</param>
    /// <param name="cancellationToken">Stops the wait (the loop ends).</param>
    public static async Task PauseAsync(HealthCheckSettings settings, ServerHealth health, TimeSpan interval, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var deadline = timeProvider.GetUtcNow() + interval;
        while (true)
        {
            var signal = health.FastInterSignal;
            var remaining = deadline - timeProvider.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            using var delayCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(remaining, timeProvider, delayCts.Token);
            var first = await Task.WhenAny(delay, signal).ConfigureAwait(false);
            if (first == delay)
            {
                await delay.ConfigureAwait(false); // throws when cancelled
                return;
            }

            await delayCts.CancelAsync().ConfigureAwait(false);
            await delay.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
            var sooner = timeProvider.GetUtcNow() + settings.FastInter;
            if (sooner < deadline)
            {
                deadline = sooner;
            }
        }
    }
}
