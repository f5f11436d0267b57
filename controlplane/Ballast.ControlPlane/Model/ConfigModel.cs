using System.Diagnostics.CodeAnalysis;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Model;

/// <summary>A frontend as the admin API shows and accepts it (HAProxy <c>frontend</c> section).</summary>
public sealed record FrontendSpec
{
    /// <summary>Unique name; on PUT the URL name wins and a different body name is an error.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Proxy mode, <c>http</c> or <c>tcp</c>.</summary>
    public Mode Mode { get; init; } = Mode.Http;

    /// <summary>
    /// Listening addresses as HAProxy bind-line text: <c>&lt;address&gt;:&lt;port&gt; [ssl] [crt &lt;name&gt;]... [alpn
    /// h2,http/1.1] [ssl-min-ver TLSv1.2|TLSv1.3|...] [accept-proxy]</c>, e.g. <c>127.0.0.1:8080</c>, <c>[::1]:80</c>,
    /// <c>*:443 ssl crt site alpn h2,http/1.1</c>. <c>crt</c> names a certificate of <c>/api/v1/certificates</c> (the
    /// first is the default one, the others are chosen by SNI); <c>ssl</c> needs at least one; <c>alpn</c> (h2,
    /// http/1.1) is for mode http; <c>ssl-min-ver</c> defaults to TLSv1.2.
    /// </summary>
    public IReadOnlyList<string> Binds { get; init; } = [];

    /// <summary>Backend used when no rule matches.</summary>
    public string DefaultBackend { get; init; } = string.Empty;

    /// <summary>Concurrent connections accepted; 0 = unlimited.</summary>
    public uint Maxconn { get; init; }

    /// <summary>
    /// Client-side inactivity timeout in ms (HAProxy <c>timeout client</c>, mode tcp); 0 = 50000 (Debian's shipped
    /// haproxy.cfg; HAProxy itself has no default).
    /// </summary>
    public uint TimeoutClientMs { get; init; }

    /// <summary>
    /// HAProxy <c>timeout http-request</c> in ms (mode http): longest wait for a complete request header block, then
    /// 408 and close; 0 = timeoutClientMs (HAProxy falls back to <c>timeout client</c>). At most 2147483647.
    /// </summary>
    public uint TimeoutHttpRequestMs { get; init; }

    /// <summary>
    /// HAProxy <c>timeout http-keep-alive</c> in ms (mode http): longest idle time between two requests of a keep-alive
    /// connection, then the connection is closed; 0 = timeoutHttpRequestMs (HAProxy's fallback). At most 2147483647.
    /// </summary>
    public uint TimeoutHttpKeepAliveMs { get; init; }

    /// <summary>
    /// HAProxy <c>option forwardfor</c> on the frontend (mode http): add the client address to <c>X-Forwarded-For</c>
    /// for every request; when the backend has it too the header is added once, named by the backend's header.
    /// </summary>
    public bool Forwardfor { get; init; }

    /// <summary><c>option forwardfor except &lt;network&gt;</c>: no header for clients in this network (e.g. <c>10.0.0.0/8</c>).</summary>
    public string ForwardforExcept { get; init; } = string.Empty;

    /// <summary><c>option forwardfor header &lt;name&gt;</c>: the header name; empty = <c>X-Forwarded-For</c>.</summary>
    public string ForwardforHeader { get; init; } = string.Empty;

    /// <summary>
    /// HAProxy <c>acl</c> lines without the keyword, e.g. <c>is_api path_beg /api</c> or
    /// <c>host_www hdr(host) -i www.example.com</c>; a name declared several times is the OR of its lines.
    /// </summary>
    public IReadOnlyList<string> Acls { get; init; } = [];

    /// <summary>HAProxy <c>use_backend</c> rules, in order: the first whose condition holds picks the backend.</summary>
    public IReadOnlyList<UseBackendSpec> UseBackends { get; init; } = [];

    /// <summary>
    /// HAProxy <c>http-request</c> lines without the keyword, e.g. <c>deny deny_status 429 if { sc_http_req_rate(0) gt
    /// 100 }</c>, <c>set-header X-Env prod</c>, <c>redirect scheme https code 301 if !is_https</c> (mode http).
    /// </summary>
    public IReadOnlyList<string> HttpRequest { get; init; } = [];

    /// <summary>HAProxy <c>http-response</c> lines without the keyword, e.g. <c>del-header Server</c> (mode http).</summary>
    public IReadOnlyList<string> HttpResponse { get; init; } = [];

    /// <summary>
    /// HAProxy <c>stick-table</c> without the keyword, e.g. <c>type ip size 100k expire 30s store
    /// http_req_rate(10s),conn_cur</c>, filled by <c>http-request track-sc0</c>; empty = none.
    /// </summary>
    public string StickTable { get; init; } = string.Empty;

    /// <summary>
    /// Access-log targets as HAProxy <c>log</c> lines without the keyword: <c>&lt;target&gt; [len &lt;n&gt;] [format
    /// rfc3164|rfc5424|raw] &lt;facility&gt; [&lt;level&gt;]</c>, e.g. <c>127.0.0.1:514 len 1024 format rfc5424 local0 info</c>
    /// or <c>stdout format raw daemon</c>; the target is <c>stdout</c>, <c>stderr</c>, an absolute file path or a UDP
    /// syslog server (<c>host[:port]</c>, <c>udp@host:port</c>). Empty = no access log.
    /// </summary>
    public IReadOnlyList<string> Logs { get; init; } = [];

    /// <summary>HAProxy <c>option httplog</c>: one line per HTTP request in HAProxy's httplog format (mode http only).</summary>
    public bool OptionHttplog { get; init; }

    /// <summary>HAProxy <c>option tcplog</c>: one line per connection in HAProxy's tcplog format (mode tcp or http).</summary>
    public bool OptionTcplog { get; init; }

    /// <summary>HAProxy <c>option dontlognull</c>: no line for connections that carried no data.</summary>
    public bool OptionDontlognull { get; init; }

    /// <summary>
    /// HAProxy <c>log-format</c>: a custom line with HAProxy's <c>%</c> variables (e.g. <c>%ci:%cp [%tr] %ft %b/%s %ST
    /// %B %{+Q}r</c>); overrides optionHttplog/optionTcplog. Empty = none.
    /// </summary>
    public string LogFormat { get; init; } = string.Empty;

    /// <summary>
    /// HAProxy <c>capture request header &lt;name&gt; len &lt;n&gt;</c> lines in order (mode http): the values are logged
    /// by <c>%hr</c> (<c>{v1|v2}</c> in httplog) and <c>%hrl</c>. Empty = none.
    /// </summary>
    public IReadOnlyList<HeaderCaptureSpec> CaptureRequestHeaders { get; init; } = [];

    /// <summary>
    /// HAProxy <c>capture response header &lt;name&gt; len &lt;n&gt;</c> lines in order (mode http): the values are
    /// logged by <c>%hs</c> and <c>%hsl</c>. Empty = none.
    /// </summary>
    public IReadOnlyList<HeaderCaptureSpec> CaptureResponseHeaders { get; init; } = [];
}

/// <summary>A backend as the admin API shows and accepts it (HAProxy <c>backend</c> section).</summary>
public sealed record BackendSpec
{
    /// <summary>Unique name; on PUT the URL name wins and a different body name is an error.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Proxy mode, <c>http</c> or <c>tcp</c>.</summary>
    public Mode Mode { get; init; } = Mode.Http;

    /// <summary>
    /// Load-balancing algorithm (HAProxy <c>balance</c> keyword): <c>roundrobin</c>, <c>static-rr</c>,
    /// <c>leastconn</c>, <c>first</c>, <c>source</c>, <c>uri</c>, <c>url_param</c>, <c>hdr</c> or <c>random</c>.
    /// </summary>
    public Balance Balance { get; init; } = Balance.Roundrobin;

    /// <summary>
    /// The query parameter name of <c>url_param</c> or the header name of <c>hdr</c> (HAProxy
    /// <c>balance url_param &lt;name&gt;</c>, <c>balance hdr(&lt;name&gt;)</c>); required by those two, empty otherwise.
    /// </summary>
    public string BalanceParam { get; init; } = string.Empty;

    /// <summary><c>balance uri len &lt;n&gt;</c>: hash only the first n characters of the URI; 0 = no limit.</summary>
    public uint UriLen { get; init; }

    /// <summary><c>balance uri depth &lt;n&gt;</c>: hash only the first n directory levels; 0 = no limit.</summary>
    public uint UriDepth { get; init; }

    /// <summary><c>balance uri path-only</c>: hash from the path's first '/' (ignores the scheme and authority).</summary>
    public bool UriPathOnly { get; init; }

    /// <summary><c>balance uri whole</c>: hash the query string too.</summary>
    public bool UriWhole { get; init; }

    /// <summary><c>balance hdr(&lt;name&gt;) use_domain_only</c>: hash only the main domain label ("1wt" of "haproxy.1wt.eu").</summary>
    public bool HdrUseDomainOnly { get; init; }

    /// <summary><c>balance random(&lt;draws&gt;)</c>: draws per pick, 1-100; 0 = 2 ("power of two random choices").</summary>
    public uint RandomDraws { get; init; }

    /// <summary>
    /// How hashes map to servers (HAProxy <c>hash-type &lt;method&gt;</c>): <c>map-based</c> (default) or
    /// <c>consistent</c>; used by source, uri, url_param and hdr (random always uses the consistent ring).
    /// </summary>
    public HashType HashType { get; init; } = HashType.MapBased;

    /// <summary>
    /// Hash function (HAProxy <c>hash-type &lt;method&gt; &lt;function&gt;</c>): <c>default</c> (sdbm, with avalanche
    /// when <c>hashType</c> is consistent), <c>sdbm</c>, <c>djb2</c>, <c>wt6</c>, <c>crc32</c> or <c>none</c>.
    /// </summary>
    public HashFunction HashFunction { get; init; } = HashFunction.Default;

    /// <summary>The <c>avalanche</c> modifier of <c>hash-type</c>: mix the hash with a full avalanche hash before use.</summary>
    public bool HashAvalanche { get; init; }

    /// <summary>Server connect timeout in ms (HAProxy <c>timeout connect</c>); 0 = 5000.</summary>
    public uint TimeoutConnectMs { get; init; }

    /// <summary>
    /// Server-side inactivity timeout in ms (HAProxy <c>timeout server</c>); 0 = 50000. In mode http, the longest
    /// wait for the response (504).
    /// </summary>
    public uint TimeoutServerMs { get; init; }

    /// <summary>
    /// HAProxy <c>option allbackups</c>: when every active server is down, all usable <c>backup</c> servers share the
    /// load (default: only the first one).
    /// </summary>
    public bool Allbackups { get; init; }

    /// <summary>
    /// HAProxy <c>timeout queue</c> in ms: how long a request waits for a <c>maxconn</c> slot before a 503; 0 = the
    /// connect timeout (HAProxy's default).
    /// </summary>
    public uint TimeoutQueueMs { get; init; }

    /// <summary>HAProxy <c>retries</c>: attempts after the first one, 0-100; null = 3 (HAProxy's default).</summary>
    public uint? Retries { get; init; }

    /// <summary>
    /// HAProxy <c>retry-on</c> keywords: <c>none</c>, <c>conn-failure</c>, <c>empty-response</c>, <c>junk-response</c>,
    /// <c>response-timeout</c>, <c>0rtt-rejected</c>, <c>all-retryable-errors</c> or a status among 401 403 404 408 425
    /// 500 501 502 503 504; empty = <c>conn-failure</c>. Non-connection failures are retried for idempotent requests only.
    /// </summary>
    public IReadOnlyList<string> RetryOn { get; init; } = [];

    /// <summary>
    /// HAProxy <c>option redispatch &lt;interval&gt;</c>: retry on another server every n-th retry (1 = every retry),
    /// negative = the n-th retry before the last (-1 = the last), 0 = never (<c>no option redispatch</c>);
    /// null = 1 (Ballast's default; HAProxy's default is off).
    /// </summary>
    public int? Redispatch { get; init; }

    /// <summary>HAProxy <c>option forwardfor</c>: add the client address to <c>X-Forwarded-For</c> (mode http).</summary>
    public bool Forwardfor { get; init; }

    /// <summary><c>option forwardfor except &lt;network&gt;</c>: no header for clients in this network (e.g. <c>10.0.0.0/8</c>).</summary>
    public string ForwardforExcept { get; init; } = string.Empty;

    /// <summary><c>option forwardfor header &lt;name&gt;</c>: the header name; empty = <c>X-Forwarded-For</c>.</summary>
    public string ForwardforHeader { get; init; } = string.Empty;

    /// <summary>
    /// HAProxy <c>timeout tunnel</c> in ms: idle timeout of mode tcp relays and of upgraded (WebSocket) connections once
    /// both sides are connected, replacing timeout client/server; 0 = not set (those apply). At most 2147483647.
    /// </summary>
    public uint TimeoutTunnelMs { get; init; }

    /// <summary>
    /// HAProxy 2.8 <c>option forwarded</c> (mode http): add an RFC 7239 <c>Forwarded</c> header to each request, with the
    /// parameters of forwardedParams. HAProxy 2.6 lacks the option: a haproxy.cfg export writes it as a comment.
    /// </summary>
    public bool Forwarded { get; init; }

    /// <summary>
    /// Parameters of <c>option forwarded</c>, of <c>proto</c> (<c>proto=http|https</c>), <c>host</c> (<c>host="&lt;Host&gt;"</c>),
    /// <c>by</c> (<c>by="&lt;address:port the client connected to&gt;"</c>) and <c>for</c> (<c>for="&lt;client
    /// address:port&gt;"</c>); empty = <c>for</c> (HAProxy's default).
    /// </summary>
    public IReadOnlyList<string> ForwardedParams { get; init; } = [];

    /// <summary>HAProxy <c>acl</c> lines of the backend (see the frontend's), for its http-request/response conditions.</summary>
    public IReadOnlyList<string> Acls { get; init; } = [];

    /// <summary>HAProxy <c>http-request</c> lines, run after the frontend's and <c>use_backend</c> (mode http).</summary>
    public IReadOnlyList<string> HttpRequest { get; init; } = [];

    /// <summary>HAProxy <c>http-response</c> lines, run before the frontend's (mode http).</summary>
    public IReadOnlyList<string> HttpResponse { get; init; } = [];

    /// <summary>
    /// HAProxy <c>cookie</c> persistence without the keyword, e.g. <c>SRV insert indirect nocache httponly</c>, with
    /// each server's <c>cookie</c> value (mode http); empty = none.
    /// </summary>
    public string Cookie { get; init; } = string.Empty;

    /// <summary>HAProxy <c>stick-table</c> of the backend without the keyword, for <c>stickOn</c> and track-sc0; empty = none.</summary>
    public string StickTable { get; init; } = string.Empty;

    /// <summary>HAProxy <c>stick on &lt;pattern&gt;</c>: <c>src</c> (needs a <c>type ip</c> stickTable) or empty for none.</summary>
    public string StickOn { get; init; } = string.Empty;

    /// <summary>Active health check of the servers that have <c>check</c> set; null in a request means none.</summary>
    [AllowNull]
    public HealthCheckSpec HealthCheck { get; init => field = value ?? new(); } = new();

    /// <summary>Servers; on PUT, null keeps the existing servers and a list replaces them.</summary>
    public IReadOnlyList<ServerSpec>? Servers { get; init; }
}

/// <summary>Health check settings of a backend; zero values mean HAProxy's defaults.</summary>
public sealed record HealthCheckSpec
{
    /// <summary><c>none</c>, <c>tcp</c> or <c>http</c>.</summary>
    public HealthCheckType Type { get; init; } = HealthCheckType.HealthCheckNone;

    /// <summary>HTTP method; empty = OPTIONS (HAProxy <c>option httpchk</c> default).</summary>
    public string Method { get; init; } = string.Empty;

    /// <summary>HTTP path, starting with '/'; empty = "/".</summary>
    public string Path { get; init; } = string.Empty;

    /// <summary>Expected HTTP status; 0 = any 2xx or 3xx.</summary>
    public uint ExpectStatus { get; init; }

    /// <summary>Interval between checks, ms; 0 = 2000.</summary>
    public uint InterMs { get; init; }

    /// <summary>Successes to mark a server UP; 0 = 2.</summary>
    public uint Rise { get; init; }

    /// <summary>Failures to mark a server DOWN; 0 = 3.</summary>
    public uint Fall { get; init; }

    /// <summary>Check timeout, ms; 0 = the interval.</summary>
    public uint TimeoutMs { get; init; }

    /// <summary>HAProxy <c>fastinter</c>: interval while a server is transitioning, ms; 0 = the interval.</summary>
    public uint FastinterMs { get; init; }

    /// <summary>HAProxy <c>downinter</c>: interval while a server is DOWN, ms; 0 = the interval.</summary>
    public uint DowninterMs { get; init; }

    /// <summary>
    /// HAProxy <c>http-check expect &lt;match&gt;</c>: <c>default</c> (<c>expectStatus</c>, else any 2xx/3xx), <c>status</c>
    /// (codes and ranges, <c>200,301-302</c>), <c>rstatus</c> (regular expression) or <c>string</c> (body contains).
    /// </summary>
    public HttpCheckExpect ExpectKind { get; init; } = HttpCheckExpect.Default;

    /// <summary>The pattern of <c>http-check expect</c>; empty with <c>default</c>.</summary>
    public string ExpectValue { get; init; } = string.Empty;
}

/// <summary>A server of a backend as the admin API shows and accepts it (HAProxy <c>server</c> line).</summary>
public sealed record ServerSpec
{
    /// <summary>Unique within its backend; on PUT the URL name wins.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>IP literal or host name.</summary>
    public string Address { get; init; } = string.Empty;

    /// <summary>TCP port, 1-65535.</summary>
    public uint Port { get; init; }

    /// <summary>Weight 0-256 (HAProxy default 1).</summary>
    public uint Weight { get; init; } = 1;

    /// <summary>Concurrent requests (mode http) or connections (mode tcp) sent to this server; 0 = unlimited.</summary>
    public uint Maxconn { get; init; }

    /// <summary>Administrative state: <c>ready</c>, <c>drain</c> or <c>maint</c>.</summary>
    public ServerState State { get; init; } = ServerState.Ready;

    /// <summary>Whether the backend's health check applies (HAProxy <c>check</c>).</summary>
    public bool Check { get; init; }

    /// <summary>
    /// Persistent server id (HAProxy <c>id</c>), unique in the backend; 0 = automatic (1..n in declaration order).
    /// Orders <c>balance first</c> and places the server on the consistent-hash ring.
    /// </summary>
    public uint Id { get; init; }

    /// <summary>HAProxy <c>backup</c>: used only when no active server is usable.</summary>
    public bool Backup { get; init; }

    /// <summary>HAProxy <c>slowstart</c> in ms: the weight ramps up over this time after the server comes back UP; 0 = off.</summary>
    public uint SlowstartMs { get; init; }

    /// <summary>
    /// HAProxy <c>maxqueue</c>: most requests waiting in this server's own queue (persistent clients while the server
    /// is at maxconn); beyond it they are redispatched, or get a 503 without <c>option redispatch</c>. 0 = unlimited.
    /// </summary>
    public uint Maxqueue { get; init; }

    /// <summary>HAProxy <c>port</c>: the health check's port; 0 = the server's port.</summary>
    public uint CheckPort { get; init; }

    /// <summary>HAProxy <c>addr</c>: the health check's address; empty = the server's address.</summary>
    public string CheckAddr { get; init; } = string.Empty;

    /// <summary>HAProxy server <c>cookie &lt;value&gt;</c>: the persistence cookie value of the backend's <c>cookie</c>; empty = none.</summary>
    public string Cookie { get; init; } = string.Empty;

    /// <summary>HAProxy server <c>ssl</c>: connections to the server use TLS (mode http: HTTPS; mode tcp: TLS-wrapped bytes).</summary>
    public bool Ssl { get; init; }

    /// <summary>
    /// HAProxy server <c>verify none|required</c> (with <c>ssl</c>): <c>required</c> (default) checks the chain against
    /// <c>caFile</c> and the name against <c>sni</c> (or a host-name address); with an IP address and no <c>sni</c>
    /// only the chain is verified, as HAProxy does without SNI or <c>verifyhost</c>.
    /// </summary>
    public ServerVerify Verify { get; init; } = ServerVerify.Required;

    /// <summary>
    /// HAProxy server <c>ca-file</c> (with <c>ssl</c>): name of a certificate of <c>/api/v1/certificates</c> holding the CA
    /// bundle; empty = the system trust store (HAProxy <c>ca-file @system-ca</c>).
    /// </summary>
    public string CaFile { get; init; } = string.Empty;

    /// <summary>
    /// HAProxy server <c>sni str(&lt;name&gt;)</c> (with <c>ssl</c>): the TLS server name sent and verified; empty = the
    /// address when it is a host name, none for an IP address.
    /// </summary>
    public string Sni { get; init; } = string.Empty;

    /// <summary>
    /// HAProxy server <c>observe none|layer4|layer7</c>: passive health from live traffic. <c>layer4</c> counts failed
    /// connections, <c>layer7</c> (mode http) also invalid, timed-out and 5xx responses (501 and 505 excepted). As in
    /// HAProxy it acts only with <c>check</c> (a server without checks is not observed).
    /// </summary>
    public Observe Observe { get; init; } = Observe.None;

    /// <summary>HAProxy server <c>error-limit</c>: consecutive observed errors that trigger <c>onError</c>; 0 = 10 (HAProxy's default).</summary>
    public uint ErrorLimit { get; init; }

    /// <summary>
    /// HAProxy server <c>on-error fastinter|fail-check|sudden-death|mark-down</c>: what reaching <c>errorLimit</c> does
    /// (every mode also runs the next check at <c>fastinter</c>); default <c>fail-check</c>, HAProxy's default.
    /// </summary>
    public OnError OnError { get; init; } = OnError.FailCheck;

    /// <summary>
    /// HAProxy server <c>send-proxy</c> / <c>send-proxy-v2</c>: <c>none</c> (default), <c>send-proxy</c> (PROXY protocol
    /// v1 text header) or <c>send-proxy-v2</c> (binary header) at the start of each new connection to the server,
    /// carrying the client's address. Mode tcp: one header per relayed connection; mode http: server connections then
    /// serve only the client connection they were opened for (HAProxy keys such connections by their PROXY header).
    /// </summary>
    public ProxyProtocolVersion SendProxy { get; init; } = ProxyProtocolVersion.ProxyProtocolNone;
}

/// <summary>A partial change to a server (PATCH); null members are left as they are.</summary>
public sealed record ServerPatch
{
    /// <summary>New weight, 0-256.</summary>
    public uint? Weight { get; init; }

    /// <summary>New administrative state.</summary>
    public ServerState? State { get; init; }

    /// <summary>New maxconn; 0 = unlimited.</summary>
    public uint? Maxconn { get; init; }

    /// <summary>New address.</summary>
    public string? Address { get; init; }

    /// <summary>New port.</summary>
    public uint? Port { get; init; }

    /// <summary>New <c>check</c> flag.</summary>
    public bool? Check { get; init; }

    /// <summary>Applies this patch to <paramref name="server"/>.</summary>
    public ServerSpec ApplyTo(ServerSpec server) => server with
    {
        Weight = Weight ?? server.Weight,
        State = State ?? server.State,
        Maxconn = Maxconn ?? server.Maxconn,
        Address = Address ?? server.Address,
        Port = Port ?? server.Port,
        Check = Check ?? server.Check,
    };
}

/// <summary>A whole configuration in admin API form: the working config or a published version's.</summary>
public sealed record ConfigSpec
{
    /// <summary>Frontends, ordered by name.</summary>
    public IReadOnlyList<FrontendSpec> Frontends { get; init; } = [];

    /// <summary>Backends with their servers, ordered by name.</summary>
    public IReadOnlyList<BackendSpec> Backends { get; init; } = [];

    /// <summary>
    /// TLS certificates, ordered by name: what binds' <c>crt</c> and servers' <c>caFile</c> name. Private keys are never
    /// shown (<c>keyPem</c> is absent on read). In a native file, absent (null) keeps the stored certificates; a list
    /// replaces them, and an entry without <c>keyPem</c> keeps the stored key of that name when it matches the certificate.
    /// </summary>
    public IReadOnlyList<CertificateSpec>? Certificates { get; init; }
}
