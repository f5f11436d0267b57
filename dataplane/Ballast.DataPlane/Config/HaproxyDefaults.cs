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
    /// Server connect timeout, as <c>timeout connect 5s</c> (HAProxy ships no default; 5 s is the value of its
    /// example configurations).
    /// </summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
}
