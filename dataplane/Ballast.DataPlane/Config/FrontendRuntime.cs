using System.Collections.Immutable;
using Ballast.DataPlane.Stats;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Config;

/// <summary>Immutable runtime view of one frontend: its binds and where its requests go.</summary>
internal sealed class FrontendRuntime
{
    /// <summary>Frontend name.</summary>
    public required string Name { get; init; }

    /// <summary>Listening endpoints.</summary>
    public required ImmutableArray<BindEndpoint> Binds { get; init; }

    /// <summary>The backend of HAProxy <c>default_backend</c>; null answers 503.</summary>
    public required BackendRuntime? DefaultBackend { get; init; }

    /// <summary>Proxy mode: <c>http</c> (requests are parsed and forwarded) or <c>tcp</c> (bytes are relayed).</summary>
    public V1.Mode Mode { get; init; }

    /// <summary>HAProxy <c>timeout client</c>: longest client-side inactivity (mode tcp).</summary>
    public TimeSpan ClientTimeout { get; init; } = HaproxyDefaults.ClientTimeout;

    /// <summary><c>accept-proxy</c> binds, <c>timeout http-request|http-keep-alive</c> and <c>option forwardfor</c>.</summary>
    public FrontendOptions Options { get; init; } = FrontendOptions.Default;

    /// <summary>TLS settings of the binds with <c>ssl</c> (read by each new handshake); null when none has.</summary>
    public IReadOnlyDictionary<BindEndpoint, Tls.BindTls>? TlsBinds { get; init; }

    /// <summary>Concurrent connections accepted, as frontend <c>maxconn</c>; 0 = unlimited.</summary>
    public required int MaxConn { get; init; }

    /// <summary>Counters surviving snapshot swaps (kept by frontend name).</summary>
    public required StatCounters Counters { get; init; }

    /// <summary>
    /// Layer-7 rules (ACLs, <c>use_backend</c>, <c>http-request</c>/<c>http-response</c>, stick table), or null when
    /// neither the frontend nor its default backend has any: requests then skip rule processing entirely.
    /// </summary>
    public Rules.ProxyRules? Rules { get; init; }

    /// <summary>Access-log format and targets (HAProxy <c>log</c>, <c>option httplog|tcplog</c>); null = no access log.</summary>
    public Logging.AccessLogSettings? AccessLog { get; init; }
}
