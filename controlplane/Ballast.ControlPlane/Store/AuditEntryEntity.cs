namespace Ballast.ControlPlane.Store;

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
