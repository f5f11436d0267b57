using System.Collections.Frozen;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Rules;

/// <summary>The type of sample a fetch yields, which decides the match methods it accepts.</summary>
public enum FetchSample
{
    /// <summary>A string (headers, path, method, query parameters, SNI).</summary>
    String,

    /// <summary>The client address (<c>src</c>).</summary>
    Address,

    /// <summary>An integer (<c>status</c>, stick-table counters).</summary>
    Integer,
}

/// <summary>Argument of a fetch.</summary>
public enum FetchArgument
{
    /// <summary>No argument.</summary>
    None,

    /// <summary>A header or query parameter name (required).</summary>
    Name,

    /// <summary>The sticky counter number; only 0 exists.</summary>
    Counter,
}

/// <summary>What nodes know of a fetch.</summary>
/// <param name="Sample">The sample type.</param>
/// <param name="Implied">The match method implied by the name (<c>path_beg</c> → beg), or null.</param>
/// <param name="Argument">Its argument.</param>
/// <param name="ResponseOnly">Whether it exists only in http-response rules (<c>status</c>).</param>
public sealed record FetchInfo(FetchSample Sample, AclMatch? Implied, FetchArgument Argument, bool ResponseOnly = false);

/// <summary>
/// The sample fetches (manual, section 7.3) and predefined ACLs (section 7.4) that Ballast nodes implement, as the
/// data plane's <c>Rules/FetchCatalog</c>: the control plane refuses every other one at publish, the importer reports
/// them.
/// </summary>
public static class FetchCatalog
{
    /// <summary>Fetches by name.</summary>
    public static readonly FrozenDictionary<string, FetchInfo> Fetches = new Dictionary<string, FetchInfo>(StringComparer.Ordinal)
    {
        ["hdr"] = new(FetchSample.String, null, FetchArgument.Name),
        ["req.hdr"] = new(FetchSample.String, null, FetchArgument.Name),
        ["hdr_beg"] = new(FetchSample.String, AclMatch.Beg, FetchArgument.Name),
        ["hdr_end"] = new(FetchSample.String, AclMatch.End, FetchArgument.Name),
        ["hdr_sub"] = new(FetchSample.String, AclMatch.Sub, FetchArgument.Name),
        ["hdr_reg"] = new(FetchSample.String, AclMatch.Reg, FetchArgument.Name),
        ["hdr_dir"] = new(FetchSample.String, AclMatch.Dir, FetchArgument.Name),
        ["hdr_dom"] = new(FetchSample.String, AclMatch.Dom, FetchArgument.Name),
        ["path"] = new(FetchSample.String, null, FetchArgument.None),
        ["path_beg"] = new(FetchSample.String, AclMatch.Beg, FetchArgument.None),
        ["path_end"] = new(FetchSample.String, AclMatch.End, FetchArgument.None),
        ["path_sub"] = new(FetchSample.String, AclMatch.Sub, FetchArgument.None),
        ["path_reg"] = new(FetchSample.String, AclMatch.Reg, FetchArgument.None),
        ["path_dir"] = new(FetchSample.String, AclMatch.Dir, FetchArgument.None),
        ["method"] = new(FetchSample.String, null, FetchArgument.None),
        ["url_param"] = new(FetchSample.String, null, FetchArgument.Name),
        ["urlp"] = new(FetchSample.String, null, FetchArgument.Name),
        ["src"] = new(FetchSample.Address, null, FetchArgument.None),
        ["ssl_fc_sni"] = new(FetchSample.String, null, FetchArgument.None),
        ["status"] = new(FetchSample.Integer, null, FetchArgument.None, ResponseOnly: true),
        ["sc_http_req_rate"] = new(FetchSample.Integer, null, FetchArgument.Counter),
        ["sc_conn_cur"] = new(FetchSample.Integer, null, FetchArgument.Counter),
        ["sc_conn_rate"] = new(FetchSample.Integer, null, FetchArgument.Counter),
        ["sc0_http_req_rate"] = new(FetchSample.Integer, null, FetchArgument.None),
        ["sc0_conn_cur"] = new(FetchSample.Integer, null, FetchArgument.None),
        ["sc0_conn_rate"] = new(FetchSample.Integer, null, FetchArgument.None),
        ["src_http_req_rate"] = new(FetchSample.Integer, null, FetchArgument.None),
        ["src_conn_cur"] = new(FetchSample.Integer, null, FetchArgument.None),
        ["src_conn_rate"] = new(FetchSample.Integer, null, FetchArgument.None),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>HAProxy's predefined ACLs that nodes implement.</summary>
    public static readonly FrozenSet<string> Predefined = new[]
    {
        "TRUE", "FALSE", "HTTP", "LOCALHOST", "METH_CONNECT", "METH_DELETE", "METH_GET", "METH_HEAD", "METH_OPTIONS",
        "METH_POST", "METH_PUT", "METH_TRACE",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The match method a fetch uses without <c>-m</c>.</summary>
    /// <param name="info">The fetch.</param>
    public static AclMatch DefaultMatch(FetchInfo info) =>
        info.Implied ?? info.Sample switch { FetchSample.String => AclMatch.Str, FetchSample.Address => AclMatch.Ip, _ => AclMatch.Int };

    /// <summary>Whether <c>-m <paramref name="match"/></c> may be used with the fetch.</summary>
    /// <param name="info">The fetch.</param>
    /// <param name="match">An explicit method.</param>
    public static bool Allows(FetchInfo info, AclMatch match) =>
        info.Implied is { } implied ? match == implied || match == AclMatch.Found
        : info.Sample switch
        {
            FetchSample.String => match != AclMatch.Ip,
            FetchSample.Address => match is AclMatch.Ip or AclMatch.Found,
            _ => match is AclMatch.Int or AclMatch.Found,
        };
}
