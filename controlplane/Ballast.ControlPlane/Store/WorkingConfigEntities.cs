using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Store;

/// <summary>Row of the working configuration: a frontend.</summary>
internal sealed class FrontendEntity
{
    /// <summary>Surrogate key.</summary>
    public int Id { get; set; }

    /// <summary>Unique name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Proxy mode (stored as the HAProxy word).</summary>
    public Mode Mode { get; set; }

    /// <summary>Binds as <c>address:port</c> strings (a JSON array column).</summary>
    public List<string> Binds { get; set; } = [];

    /// <summary>Default backend name.</summary>
    public string DefaultBackend { get; set; } = string.Empty;

    /// <summary>Concurrent connections; 0 = unlimited.</summary>
    public uint Maxconn { get; set; }

    /// <summary><c>timeout client</c>, ms; 0 = default (schema version 2).</summary>
    public uint TimeoutClientMs { get; set; }

    /// <summary>Layer-7 settings as JSON HAProxy text (added by <see cref="Layer7Columns"/>).</summary>
    public string L7Json { get; set; } = "{}";

    /// <summary>Access-log settings as JSON, <c>log</c> lines as HAProxy text (added by <see cref="AccessLogColumns"/>).</summary>
    public string LogJson { get; set; } = "{}";

    /// <summary><c>timeout http-request</c>, ms; 0 = timeout client (added by <see cref="ProxyHeaderColumns"/>, as the four below).</summary>
    public uint TimeoutHttpRequestMs { get; set; }

    /// <summary><c>timeout http-keep-alive</c>, ms; 0 = timeout http-request.</summary>
    public uint TimeoutHttpKeepAliveMs { get; set; }

    /// <summary>Frontend <c>option forwardfor</c>.</summary>
    public bool Forwardfor { get; set; }

    /// <summary><c>option forwardfor except</c> network.</summary>
    public string ForwardforExcept { get; set; } = string.Empty;

    /// <summary><c>option forwardfor header</c> name.</summary>
    public string ForwardforHeader { get; set; } = string.Empty;
}

/// <summary>Row of the working configuration: a backend and its health check.</summary>
internal sealed class BackendEntity
{
    /// <summary>Surrogate key.</summary>
    public int Id { get; set; }

    /// <summary>Unique name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Proxy mode.</summary>
    public Mode Mode { get; set; }

    /// <summary>Balance algorithm.</summary>
    public Balance Balance { get; set; }

    /// <summary>Health check type.</summary>
    public HealthCheckType CheckType { get; set; }

    /// <summary>HTTP check method.</summary>
    public string CheckMethod { get; set; } = string.Empty;

    /// <summary>HTTP check path.</summary>
    public string CheckPath { get; set; } = string.Empty;

    /// <summary>Expected HTTP status; 0 = 2xx/3xx.</summary>
    public uint CheckExpectStatus { get; set; }

    /// <summary>Check interval, ms.</summary>
    public uint CheckInterMs { get; set; }

    /// <summary>Rise count.</summary>
    public uint CheckRise { get; set; }

    /// <summary>Fall count.</summary>
    public uint CheckFall { get; set; }

    /// <summary>Check timeout, ms.</summary>
    public uint CheckTimeoutMs { get; set; }

    /// <summary><c>url_param</c> name or <c>hdr()</c> header name (schema version 2, as every field below).</summary>
    public string BalanceParam { get; set; } = string.Empty;

    /// <summary><c>balance uri len</c>.</summary>
    public uint UriLen { get; set; }

    /// <summary><c>balance uri depth</c>.</summary>
    public uint UriDepth { get; set; }

    /// <summary><c>balance uri path-only</c>.</summary>
    public bool UriPathOnly { get; set; }

    /// <summary><c>balance uri whole</c>.</summary>
    public bool UriWhole { get; set; }

    /// <summary><c>balance hdr() use_domain_only</c>.</summary>
    public bool HdrUseDomainOnly { get; set; }

    /// <summary><c>balance random(&lt;draws&gt;)</c>; 0 = 2.</summary>
    public uint RandomDraws { get; set; }

    /// <summary><c>hash-type</c> method (stored as the HAProxy word).</summary>
    public HashType HashType { get; set; }

    /// <summary><c>hash-type</c> function (stored as the HAProxy word, <c>default</c> when not given).</summary>
    public HashFunction HashFunction { get; set; }

    /// <summary><c>hash-type ... avalanche</c>.</summary>
    public bool HashAvalanche { get; set; }

    /// <summary><c>timeout connect</c>, ms; 0 = default.</summary>
    public uint TimeoutConnectMs { get; set; }

    /// <summary><c>timeout server</c>, ms; 0 = default.</summary>
    public uint TimeoutServerMs { get; set; }

    /// <summary><c>option allbackups</c> (added by <see cref="DataPlaneOptionColumns"/>, as every field below).</summary>
    public bool Allbackups { get; set; }

    /// <summary><c>timeout queue</c>, ms; 0 = default.</summary>
    public uint TimeoutQueueMs { get; set; }

    /// <summary><c>retries</c>; null = default (3).</summary>
    public uint? Retries { get; set; }

    /// <summary><c>retry-on</c> keywords (a JSON array column).</summary>
    public List<string> RetryOn { get; set; } = [];

    /// <summary><c>option redispatch</c> interval; null = default.</summary>
    public int? Redispatch { get; set; }

    /// <summary><c>option forwardfor</c>.</summary>
    public bool Forwardfor { get; set; }

    /// <summary><c>option forwardfor except</c>.</summary>
    public string ForwardforExcept { get; set; } = string.Empty;

    /// <summary><c>option forwardfor header</c>.</summary>
    public string ForwardforHeader { get; set; } = string.Empty;

    /// <summary>Check <c>fastinter</c>, ms.</summary>
    public uint CheckFastinterMs { get; set; }

    /// <summary>Check <c>downinter</c>, ms.</summary>
    public uint CheckDowninterMs { get; set; }

    /// <summary><c>http-check expect</c> match, as the HAProxy word (<c>default</c>, <c>status</c>, <c>rstatus</c>, <c>string</c>).</summary>
    public string CheckExpectKind { get; set; } = "default";

    /// <summary><c>http-check expect</c> pattern.</summary>
    public string CheckExpectValue { get; set; } = string.Empty;

    /// <summary>Layer-7 settings and persistence as JSON HAProxy text (added by <see cref="Layer7Columns"/>).</summary>
    public string L7Json { get; set; } = "{}";

    /// <summary><c>timeout tunnel</c>, ms; 0 = not set (added by <see cref="ProxyHeaderColumns"/>, as the two below).</summary>
    public uint TimeoutTunnelMs { get; set; }

    /// <summary><c>option forwarded</c>.</summary>
    public bool Forwarded { get; set; }

    /// <summary><c>option forwarded</c> parameters, space-separated words (<c>proto host by for</c>); empty = for.</summary>
    public string ForwardedParams { get; set; } = string.Empty;

    /// <summary>Servers of this backend.</summary>
    public List<ServerEntity> Servers { get; set; } = [];
}

/// <summary>Row of the working configuration: a server of a backend.</summary>
internal sealed class ServerEntity
{
    /// <summary>Surrogate key.</summary>
    public int Id { get; set; }

    /// <summary>Owning backend.</summary>
    public int BackendId { get; set; }

    /// <summary>Owning backend (navigation).</summary>
    public BackendEntity? Backend { get; set; }

    /// <summary>Name, unique within the backend.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>IP literal or host name.</summary>
    public string Address { get; set; } = string.Empty;

    /// <summary>TCP port.</summary>
    public uint Port { get; set; }

    /// <summary>Weight 0-256.</summary>
    public uint Weight { get; set; }

    /// <summary>Maxconn; 0 = unlimited.</summary>
    public uint Maxconn { get; set; }

    /// <summary>Administrative state.</summary>
    public ServerState State { get; set; }

    /// <summary>Health checked.</summary>
    public bool Check { get; set; }

    /// <summary>HAProxy server <c>id</c>; 0 = automatic (schema version 2).</summary>
    public uint ServerId { get; set; }

    /// <summary>HAProxy <c>backup</c> (added by <see cref="DataPlaneOptionColumns"/>, as every field below).</summary>
    public bool Backup { get; set; }

    /// <summary>HAProxy <c>slowstart</c>, ms.</summary>
    public uint SlowstartMs { get; set; }

    /// <summary>HAProxy <c>maxqueue</c>; 0 = unlimited.</summary>
    public uint Maxqueue { get; set; }

    /// <summary>Health check <c>port</c>; 0 = the server's.</summary>
    public uint CheckPort { get; set; }

    /// <summary>Health check <c>addr</c>; empty = the server's.</summary>
    public string CheckAddr { get; set; } = string.Empty;

    /// <summary>HAProxy server <c>observe</c>, as the word (<c>none</c>, <c>layer4</c>, <c>layer7</c>).</summary>
    public string Observe { get; set; } = "none";

    /// <summary>HAProxy server <c>error-limit</c>; 0 = 10.</summary>
    public uint ErrorLimit { get; set; }

    /// <summary>HAProxy server <c>on-error</c>, as the word (default <c>fail-check</c>).</summary>
    public string OnError { get; set; } = "fail-check";

    /// <summary>HAProxy server <c>cookie</c> value (added by <see cref="Layer7Columns"/>).</summary>
    public string Cookie { get; set; } = string.Empty;

    /// <summary>HAProxy server <c>send-proxy|send-proxy-v2</c>, as the word (<c>none</c> by default; added by <see cref="ProxyHeaderColumns"/>).</summary>
    public string SendProxy { get; set; } = "none";

    /// <summary>HAProxy server <c>ssl</c> (added by <see cref="CertificateColumns"/>, as every field below).</summary>
    public bool Ssl { get; set; }

    /// <summary>HAProxy server <c>verify</c>, as the word (<c>required</c>, <c>none</c>).</summary>
    public string Verify { get; set; } = "required";

    /// <summary>HAProxy server <c>ca-file</c>: a certificate name; empty = the system trust store.</summary>
    public string CaFile { get; set; } = string.Empty;

    /// <summary>HAProxy server <c>sni str(&lt;name&gt;)</c>; empty = none.</summary>
    public string Sni { get; set; } = string.Empty;
}
