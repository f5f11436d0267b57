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
}

/// <summary>An immutable published configuration version.</summary>
internal sealed class ConfigVersionEntity
{
    /// <summary>Monotonic version number (1, 2, ...).</summary>
    public long Number { get; set; }

    /// <summary>Who published it.</summary>
    public string Author { get; set; } = string.Empty;

    /// <summary>When, UTC.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Publish message.</summary>
    public string Message { get; set; } = string.Empty;

    /// <summary>Serialized ballast.v1.Config.</summary>
    public byte[] Snapshot { get; set; } = [];

    /// <summary>SHA-256 of <see cref="Snapshot"/>, lower-case hex.</summary>
    public string Hash { get; set; } = string.Empty;
}

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

/// <summary>One audit log entry: who changed what, when.</summary>
internal sealed class AuditEntryEntity
{
    /// <summary>Monotonic id.</summary>
    public long Id { get; set; }

    /// <summary>When, UTC.</summary>
    public DateTimeOffset Time { get; set; }

    /// <summary>Who: "api", a dashboard user name, ...</summary>
    public string Actor { get; set; } = string.Empty;

    /// <summary>What, e.g. <c>frontend.put</c>, <c>server.patch</c>, <c>publish</c>.</summary>
    public string Action { get; set; } = string.Empty;

    /// <summary>Object, e.g. <c>backend 'app' server 's1'</c>.</summary>
    public string Object { get; set; } = string.Empty;

    /// <summary>Details: the new value as JSON, or a message.</summary>
    public string Detail { get; set; } = string.Empty;
}

/// <summary>The single row recording the database schema version.</summary>
internal sealed class SchemaInfoEntity
{
    /// <summary>Always 1.</summary>
    public int Id { get; set; }

    /// <summary>Schema version of the database file.</summary>
    public int Version { get; set; }

    /// <summary>When this version was applied.</summary>
    public DateTimeOffset AppliedAt { get; set; }
}
