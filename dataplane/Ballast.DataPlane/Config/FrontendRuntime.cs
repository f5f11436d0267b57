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

    /// <summary>Concurrent connections accepted, as frontend <c>maxconn</c>; 0 = unlimited.</summary>
    public required int MaxConn { get; init; }

    /// <summary>Counters surviving snapshot swaps (kept by frontend name).</summary>
    public required StatCounters Counters { get; init; }
}
