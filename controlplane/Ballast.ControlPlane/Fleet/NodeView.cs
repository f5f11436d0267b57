using Ballast.ControlPlane.Store;

namespace Ballast.ControlPlane.Fleet;

/// <summary>Sync state of a node, as <c>istioctl proxy-status</c>.</summary>
internal enum NodeSyncStatus
{
    /// <summary>Connected and serving the latest published version.</summary>
    Synced,

    /// <summary>Connected but behind: the latest version was sent and not ACKed yet.</summary>
    Stale,

    /// <summary>Connected and NACKed the latest version; it serves an older one.</summary>
    Rejected,

    /// <summary>No open stream.</summary>
    Disconnected,
}

/// <summary>A node as listed by the API and the dashboard.</summary>
/// <param name="Record">What is known about it.</param>
/// <param name="Connected">Whether its stream is open.</param>
/// <param name="Status">Its sync state.</param>
internal sealed record NodeView(NodeRecord Record, bool Connected, NodeSyncStatus Status)
{
    /// <summary>The status as shown: <c>SYNCED</c>, <c>STALE</c>, <c>REJECTED</c> or <c>DISCONNECTED</c>.</summary>
    public string StatusText => Status.ToString().ToUpperInvariant();
}
