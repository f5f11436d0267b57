namespace Ballast.DataPlane.Config;

/// <summary>
/// HAProxy 2.6 defaults (doc/configuration.txt) applied when a snapshot leaves a field unset (zero).
/// </summary>
internal static class HaproxyDefaults
{
    /// <summary>Server <c>weight</c> default.</summary>
    public const int Weight = 1;

    /// <summary>Largest server <c>weight</c> HAProxy accepts.</summary>
    public const int MaxWeight = 256;

    /// <summary>Check interval, as server <c>inter</c> (2000 ms).</summary>
    public const int InterMs = 2000;

    /// <summary>Consecutive successful checks to mark a server UP, as <c>rise</c>.</summary>
    public const int Rise = 2;

    /// <summary>Consecutive failed checks to mark a server DOWN, as <c>fall</c>.</summary>
    public const int Fall = 3;

    /// <summary>HTTP check method, as <c>option httpchk</c> without arguments.</summary>
    public const string HttpCheckMethod = "OPTIONS";

    /// <summary>HTTP check URI, as <c>option httpchk</c> without arguments.</summary>
    public const string HttpCheckPath = "/";

    /// <summary>Connection retries, as <c>retries 3</c> (HAProxy's default).</summary>
    public const int Retries = 3;

    /// <summary>
    /// Server connect timeout, as <c>timeout connect 5s</c>. HAProxy itself has no default (an unset timeout is
    /// infinite and it warns at startup); 5 s is the value of Debian's shipped <c>/etc/haproxy/haproxy.cfg</c>.
    /// </summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Server-side inactivity timeout, as <c>timeout server 50s</c> (Debian's shipped <c>haproxy.cfg</c>; HAProxy has
    /// no default).
    /// </summary>
    public static readonly TimeSpan ServerTimeout = TimeSpan.FromSeconds(50);

    /// <summary>
    /// Client-side inactivity timeout, as <c>timeout client 50s</c> (Debian's shipped <c>haproxy.cfg</c>; HAProxy has
    /// no default).
    /// </summary>
    public static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(50);

    /// <summary>Draws of <c>balance random</c> without an argument ("power of two random choices").</summary>
    public const int RandomDraws = 2;

    /// <summary>
    /// HAProxy's <c>BE_WEIGHT_SCALE</c>: dynamic algorithms work on effective weights of <c>weight * 16</c>; a server
    /// gets this many consistent-hash points per unit of weight.
    /// </summary>
    public const int WeightScale = 16;

    /// <summary>
    /// HAProxy's <c>SRV_EWGHT_RANGE</c> (<c>256 * BE_WEIGHT_SCALE</c>): the consistent-hash point <c>n</c> of the server
    /// with id <c>i</c> is keyed <c>full_hash(i * 4096 + n)</c>.
    /// </summary>
    public const int EffectiveWeightRange = MaxWeight * WeightScale;
}
