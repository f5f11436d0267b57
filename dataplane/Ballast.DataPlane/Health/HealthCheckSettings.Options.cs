using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Health;

/// <summary>The intervals, expectations and check target of HAProxy server check options.</summary>
internal sealed partial record HealthCheckSettings
{
    /// <summary>Interval while the server is transitioning, as server <c>fastinter</c> (default <c>inter</c>).</summary>
    public TimeSpan FastInter { get; init; }

    /// <summary>Interval while the server is DOWN, as server <c>downinter</c> (default <c>inter</c>).</summary>
    public TimeSpan DownInter { get; init; }

    /// <summary>What <c>http-check expect</c> matches; <see cref="V1.HttpCheckExpect.Default"/> = <see cref="ExpectStatus"/>.</summary>
    public V1.HttpCheckExpect Expect { get; init; }

    /// <summary>The <c>http-check expect</c> pattern (status list, regular expression or body text).</summary>
    public string ExpectValue { get; init; } = string.Empty;

    /// <summary>Address the check connects to, as server <c>addr</c>; null = the server's address.</summary>
    public string? Address { get; init; }

    /// <summary>Port the check connects to, as server <c>port</c>; 0 = the server's port.</summary>
    public int Port { get; init; }

    /// <summary>Whether the check must read the response body (<c>http-check expect string</c>).</summary>
    public bool NeedsBody => Kind == HealthCheckKind.Http && Expect == V1.HttpCheckExpect.String;

    /// <summary>
    /// The pause before the next check, as HAProxy's <c>srv_getinter</c>: <c>inter</c> while the server is fully UP
    /// (health at its maximum), <c>downinter</c> while it is fully DOWN (health 0), <c>fastinter</c> in between
    /// (an UP server that failed checks, or a DOWN server that passed some); each falls back to <c>inter</c>.
    /// </summary>
    /// <param name="health">The server's HAProxy <c>health</c> counter.</param>
    public TimeSpan IntervalFor(int health)
    {
        if (health >= Rise + Fall - 1)
        {
            return Inter;
        }

        if (health == 0)
        {
            return DownInter > TimeSpan.Zero ? DownInter : Inter;
        }

        return FastInter > TimeSpan.Zero ? FastInter : Inter;
    }

    /// <summary>Adds the backend's interval/expect options and the server's check <c>addr</c>/<c>port</c>.</summary>
    /// <param name="check">The backend's check message, possibly null.</param>
    /// <param name="server">The server message.</param>
    public HealthCheckSettings ForServer(V1.HealthCheck? check, V1.Server server) => this with
    {
        FastInter = TimeSpan.FromMilliseconds(check?.FastinterMs ?? 0),
        DownInter = TimeSpan.FromMilliseconds(check?.DowninterMs ?? 0),
        Expect = check?.ExpectKind ?? V1.HttpCheckExpect.Default,
        ExpectValue = check?.ExpectValue ?? string.Empty,
        Address = server.CheckAddr.Length > 0 ? server.CheckAddr : null,
        Port = (int)server.CheckPort,
    };
}
