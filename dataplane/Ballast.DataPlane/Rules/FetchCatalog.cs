using System.Collections.Frozen;

namespace Ballast.DataPlane.Rules;

/// <summary>What a fetch name means: its kind, the match method its name implies, and its argument.</summary>
/// <param name="Kind">The fetch.</param>
/// <param name="Implied">The method implied by the name (<c>path_beg</c> → beg), or null.</param>
/// <param name="Argument">Whether it takes an argument: a name (hdr, url_param) or the counter number (<c>sc_*</c>).</param>
internal readonly record struct FetchInfo(FetchKind Kind, MatchKind? Implied, FetchArgument Argument);

/// <summary>Argument of a fetch.</summary>
internal enum FetchArgument
{
    /// <summary>No argument.</summary>
    None,

    /// <summary>A header or query parameter name (required).</summary>
    Name,

    /// <summary>The sticky counter number; only 0 is supported.</summary>
    Counter,
}

/// <summary>The supported HAProxy sample fetches by name (section 7.3), and the predefined ACLs (section 7.4).</summary>
internal static class FetchCatalog
{
    /// <summary>Fetches by name.</summary>
    public static readonly FrozenDictionary<string, FetchInfo> Fetches = new Dictionary<string, FetchInfo>(StringComparer.Ordinal)
    {
        ["hdr"] = new(FetchKind.Header, null, FetchArgument.Name),
        ["req.hdr"] = new(FetchKind.Header, null, FetchArgument.Name),
        ["hdr_beg"] = new(FetchKind.Header, MatchKind.Beg, FetchArgument.Name),
        ["hdr_end"] = new(FetchKind.Header, MatchKind.End, FetchArgument.Name),
        ["hdr_sub"] = new(FetchKind.Header, MatchKind.Sub, FetchArgument.Name),
        ["hdr_reg"] = new(FetchKind.Header, MatchKind.Reg, FetchArgument.Name),
        ["hdr_dir"] = new(FetchKind.Header, MatchKind.Dir, FetchArgument.Name),
        ["hdr_dom"] = new(FetchKind.Header, MatchKind.Dom, FetchArgument.Name),
        ["path"] = new(FetchKind.Path, null, FetchArgument.None),
        ["path_beg"] = new(FetchKind.Path, MatchKind.Beg, FetchArgument.None),
        ["path_end"] = new(FetchKind.Path, MatchKind.End, FetchArgument.None),
        ["path_sub"] = new(FetchKind.Path, MatchKind.Sub, FetchArgument.None),
        ["path_reg"] = new(FetchKind.Path, MatchKind.Reg, FetchArgument.None),
        ["path_dir"] = new(FetchKind.Path, MatchKind.Dir, FetchArgument.None),
        ["method"] = new(FetchKind.Method, null, FetchArgument.None),
        ["url_param"] = new(FetchKind.UrlParam, null, FetchArgument.Name),
        ["urlp"] = new(FetchKind.UrlParam, null, FetchArgument.Name),
        ["src"] = new(FetchKind.Source, null, FetchArgument.None),
        ["ssl_fc_sni"] = new(FetchKind.SslFcSni, null, FetchArgument.None),
        ["status"] = new(FetchKind.Status, null, FetchArgument.None),
        ["sc_http_req_rate"] = new(FetchKind.TrackedHttpRequestRate, null, FetchArgument.Counter),
        ["sc_conn_cur"] = new(FetchKind.TrackedConnCur, null, FetchArgument.Counter),
        ["sc_conn_rate"] = new(FetchKind.TrackedConnRate, null, FetchArgument.Counter),
        ["sc0_http_req_rate"] = new(FetchKind.TrackedHttpRequestRate, null, FetchArgument.None),
        ["sc0_conn_cur"] = new(FetchKind.TrackedConnCur, null, FetchArgument.None),
        ["sc0_conn_rate"] = new(FetchKind.TrackedConnRate, null, FetchArgument.None),
        ["src_http_req_rate"] = new(FetchKind.SourceHttpRequestRate, null, FetchArgument.None),
        ["src_conn_cur"] = new(FetchKind.SourceConnCur, null, FetchArgument.None),
        ["src_conn_rate"] = new(FetchKind.SourceConnRate, null, FetchArgument.None),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Whether the fetch yields a string sample.</summary>
    /// <param name="kind">The fetch.</param>
    public static bool IsString(FetchKind kind) =>
        kind is FetchKind.Header or FetchKind.Path or FetchKind.Method or FetchKind.UrlParam or FetchKind.SslFcSni;

    /// <summary>HAProxy's predefined ACLs (section 7.4) that nodes implement.</summary>
    public static readonly FrozenDictionary<string, Proto.V1.Acl> Predefined = new Dictionary<string, Proto.V1.Acl>(StringComparer.Ordinal)
    {
        ["TRUE"] = Constant(true),
        ["FALSE"] = Constant(false),
        ["HTTP"] = Constant(true),
        ["METH_CONNECT"] = Method("CONNECT"),
        ["METH_DELETE"] = Method("DELETE"),
        ["METH_GET"] = Method("GET", "HEAD"),
        ["METH_HEAD"] = Method("HEAD"),
        ["METH_OPTIONS"] = Method("OPTIONS"),
        ["METH_POST"] = Method("POST"),
        ["METH_PUT"] = Method("PUT"),
        ["METH_TRACE"] = Method("TRACE"),
        ["LOCALHOST"] = new Proto.V1.Acl { Fetch = "src", Patterns = { "127.0.0.1/8", "::1" } },
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static Proto.V1.Acl Constant(bool value) => new() { Fetch = value ? "TRUE" : "FALSE" };

    private static Proto.V1.Acl Method(params string[] methods) => new() { Fetch = "method", Patterns = { methods } };
}
