using System.Collections.Immutable;
using Ballast.DataPlane.Stats;

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

    /// <summary>Concurrent connections accepted, as frontend <c>maxconn</c>; 0 = unlimited.</summary>
    public required int MaxConn { get; init; }

    /// <summary>Counters surviving snapshot swaps (kept by frontend name).</summary>
    public required StatCounters Counters { get; init; }
}
