namespace Ballast.DataPlane.Rules;

/// <summary>The sample fetches ACLs can use (HAProxy section 7.3), resolved once per snapshot.</summary>
internal enum FetchKind
{
    /// <summary>A constant: predefined <c>TRUE</c> / <c>FALSE</c> (the pattern decides).</summary>
    Constant,

    /// <summary><c>hdr(&lt;name&gt;)</c> / <c>req.hdr(&lt;name&gt;)</c>: every comma-separated value of the request header.</summary>
    Header,

    /// <summary><c>path</c>: the path of the request-target, without the query string, not decoded.</summary>
    Path,

    /// <summary><c>method</c>.</summary>
    Method,

    /// <summary><c>url_param(&lt;name&gt;)</c> / <c>urlp</c>: each value of the query parameter, not decoded.</summary>
    UrlParam,

    /// <summary><c>src</c>: the client address.</summary>
    Source,

    /// <summary><c>ssl_fc_sni</c>: the SNI the client sent on an <c>ssl</c> bind; absent on plain connections.</summary>
    SslFcSni,

    /// <summary><c>status</c>: the response status (http-response only).</summary>
    Status,

    /// <summary><c>sc_http_req_rate(0)</c> / <c>sc0_http_req_rate</c>: request rate of the tracked entry.</summary>
    TrackedHttpRequestRate,

    /// <summary><c>sc_conn_cur(0)</c> / <c>sc0_conn_cur</c>.</summary>
    TrackedConnCur,

    /// <summary><c>sc_conn_rate(0)</c> / <c>sc0_conn_rate</c>.</summary>
    TrackedConnRate,

    /// <summary><c>src_http_req_rate</c>: request rate of the client address in the current proxy's table (not tracked).</summary>
    SourceHttpRequestRate,

    /// <summary><c>src_conn_cur</c>.</summary>
    SourceConnCur,

    /// <summary><c>src_conn_rate</c>.</summary>
    SourceConnRate,
}
