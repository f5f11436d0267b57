namespace Ballast.ControlPlane.Store;

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
