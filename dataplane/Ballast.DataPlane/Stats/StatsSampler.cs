using Ballast.DataPlane.Config;

namespace Ballast.DataPlane.Stats;

/// <summary>
/// Once per second, samples every counter's session rate (HAProxy <c>rate</c>/<c>rate_max</c>, per second) and
/// every backend's and server's UP/DOWN status (for <c>lastchg</c> and <c>downtime</c>), whether or not a control plane is connected.
/// </summary>
internal static class StatsSampler
{
    /// <summary>Samples <paramref name="model"/> once.</summary>
    /// <param name="model">The model being served.</param>
    /// <param name="nowUnixMs">Current time.</param>
    public static void Sample(RuntimeModel model, long nowUnixMs)
    {
        foreach (var frontend in model.Frontends)
        {
            frontend.Counters.SampleRate();
        }

        foreach (var backend in model.Backends)
        {
            backend.State.Counters.SampleRate();
            backend.State.ObserveStatus(backend.IsUp, nowUnixMs);
            backend.State.Counters.ObserveDown(!backend.IsUp, nowUnixMs, backend.State.LastChangeUnixMs);
            foreach (var server in backend.Servers)
            {
                server.State.Counters.SampleRate();
                server.State.Counters.ObserveDown(!server.IsUp, nowUnixMs, server.State.Health.LastChangeUnixMs);
            }
        }
    }

    /// <summary>Samples the current model every second until cancelled.</summary>
    /// <param name="current">Returns the model being served.</param>
    /// <param name="timeProvider">Clock.</param>
    /// <param name="cancellationToken">Stops sampling.</param>
    public static async Task RunAsync(Func<RuntimeModel> current, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                Sample(current(), timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
