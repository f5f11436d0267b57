namespace Ballast.ControlPlane.Store;

/// <summary>A data-plane node seen by the control plane.</summary>
internal sealed class NodeEntity
{
    /// <summary>Node id (key).</summary>
    public string NodeId { get; set; } = string.Empty;

    /// <summary>Labels as a JSON object.</summary>
    public string LabelsJson { get; set; } = "{}";

    /// <summary>Host name reported in Hello.</summary>
    public string Hostname { get; set; } = string.Empty;

    /// <summary>Software version reported in Hello.</summary>
    public string SoftwareVersion { get; set; } = string.Empty;

    /// <summary>First Hello, UTC.</summary>
    public DateTimeOffset FirstSeen { get; set; }

    /// <summary>Last message, UTC.</summary>
    public DateTimeOffset LastSeen { get; set; }

    /// <summary>Version the node serves.</summary>
    public long AppliedVersion { get; set; }

    /// <summary>Last ACKed version.</summary>
    public long LastAckVersion { get; set; }

    /// <summary>Last NACKed version.</summary>
    public long LastNackVersion { get; set; }

    /// <summary>Error detail of the last NACK.</summary>
    public string? LastError { get; set; }
}
