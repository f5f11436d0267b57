namespace Ballast.DataPlane.Health;

/// <summary>Runs one active health check against a server.</summary>
internal interface IHealthProbe
{
    /// <summary>Checks <paramref name="address"/>:<paramref name="port"/> once, within <c>settings.Timeout</c>.</summary>
    /// <param name="address">Server address (IP literal or host name).</param>
    /// <param name="port">Server port.</param>
    /// <param name="settings">Check settings.</param>
    /// <param name="cancellationToken">Stops the check (the server was removed or the node stops).</param>
    /// <returns>The result; never throws for check failures.</returns>
    ValueTask<CheckResult> CheckAsync(string address, int port, HealthCheckSettings settings, CancellationToken cancellationToken);
}
