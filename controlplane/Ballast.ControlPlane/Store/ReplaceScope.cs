namespace Ballast.ControlPlane.Store;

/// <summary>What a bulk write (<see cref="WorkingConfigStore.ReplaceAsync{TDetail}"/>) replaces.</summary>
internal enum ReplaceScope
{
    /// <summary>Frontends and backends with the same names as the written ones; all others are kept.</summary>
    SameNames,

    /// <summary>The whole working configuration: objects not written are removed.</summary>
    Everything,
}
