namespace Ballast.ControlPlane.Store;

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
