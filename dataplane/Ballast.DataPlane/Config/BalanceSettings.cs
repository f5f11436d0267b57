using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Config;

/// <summary>
/// A backend's effective <c>balance</c> and <c>hash-type</c> settings, HAProxy defaults applied: hash function sdbm,
/// avalanche implied by <c>hash-type consistent</c> without a function, <c>random</c> draws 2.
/// </summary>
/// <param name="Algorithm">The <c>balance</c> algorithm.</param>
/// <param name="Consistent">Whether hashes go through the consistent ring (<c>hash-type consistent</c>; always for random).</param>
/// <param name="Function">The effective hash function (never <see cref="V1.HashFunction.Default"/>).</param>
/// <param name="Avalanche">Whether the <c>avalanche</c> modifier applies.</param>
/// <param name="Param">The <c>url_param</c> name or <c>hdr()</c> header name; empty for other algorithms.</param>
/// <param name="UriLen"><c>balance uri len</c>; 0 = unlimited.</param>
/// <param name="UriDepth"><c>balance uri depth</c>; 0 = unlimited.</param>
/// <param name="UriPathOnly"><c>balance uri path-only</c>.</param>
/// <param name="UriWhole"><c>balance uri whole</c>.</param>
/// <param name="UseDomainOnly"><c>balance hdr(...) use_domain_only</c>.</param>
/// <param name="Draws"><c>balance random(&lt;draws&gt;)</c>, at least 1.</param>
internal sealed record BalanceSettings(
    V1.Balance Algorithm,
    bool Consistent,
    V1.HashFunction Function,
    bool Avalanche,
    string Param,
    int UriLen,
    int UriDepth,
    bool UriPathOnly,
    bool UriWhole,
    bool UseDomainOnly,
    int Draws)
{
    /// <summary>Plain <c>balance roundrobin</c>.</summary>
    public static readonly BalanceSettings RoundRobin = new(V1.Balance.Roundrobin, false, V1.HashFunction.Sdbm, false, string.Empty, 0, 0, false, false, false, HaproxyDefaults.RandomDraws);

    /// <summary>
    /// Whether the algorithm hashes a request property (source, uri, url_param, hdr), as HAProxy's
    /// <c>BE_LB_KIND_HI</c> algorithms.
    /// </summary>
    public bool IsHash => Algorithm is V1.Balance.Source or V1.Balance.Uri or V1.Balance.UrlParam or V1.Balance.Hdr;

    /// <summary>
    /// Whether the algorithm is static (HAProxy without <c>BE_LB_PROP_DYN</c>): <c>static-rr</c> and map-based hashing,
    /// where changing the weight of a running server has no effect (only 0 and back to the initial weight do).
    /// </summary>
    public bool IsStatic => Algorithm == V1.Balance.StaticRr || (IsHash && !Consistent);

    /// <summary>Whether the algorithm needs HTTP requests (uri, url_param, hdr), as HAProxy's <c>BE_LB_NEED_HTTP</c>.</summary>
    public bool NeedsHttp => Algorithm is V1.Balance.Uri or V1.Balance.UrlParam or V1.Balance.Hdr;

    /// <summary>Reads the settings of a validated backend, applying HAProxy's defaults.</summary>
    /// <param name="backend">The backend.</param>
    public static BalanceSettings From(V1.Backend backend)
    {
        var consistent = backend.HashType == V1.HashType.Consistent || backend.Balance == V1.Balance.Random;
        var function = backend.HashFunction == V1.HashFunction.Default ? V1.HashFunction.Sdbm : backend.HashFunction;

        // cfgparse-listen.c: "hash-type consistent" without a function selects sdbm with the avalanche modifier.
        var avalanche = backend.HashAvalanche
            || (backend.HashFunction == V1.HashFunction.Default && backend.HashType == V1.HashType.Consistent);
        return new BalanceSettings(
            backend.Balance,
            consistent,
            function,
            avalanche,
            backend.Balance is V1.Balance.UrlParam or V1.Balance.Hdr ? backend.BalanceParam : string.Empty,
            (int)Math.Min(backend.UriLen, int.MaxValue),
            (int)Math.Min(backend.UriDepth, int.MaxValue - 1),
            backend.UriPathOnly,
            backend.UriWhole,
            backend.HdrUseDomainOnly,
            backend.RandomDraws > 0 ? (int)Math.Min(backend.RandomDraws, int.MaxValue) : HaproxyDefaults.RandomDraws);
    }
}
