using System.ComponentModel.DataAnnotations.Schema;
using Microsoft.EntityFrameworkCore;

namespace Ballast.ControlPlane.Runtime;

/// <summary>
/// One stored runtime override of a server (HAProxy <c>set server &lt;b&gt;/&lt;s&gt; state|weight</c>), table
/// <c>RuntimeOverrides</c>. It outlives config versions until it is cleared or its server leaves the published config.
/// </summary>
[Table("RuntimeOverrides")]
[Index(nameof(Backend), nameof(Server), IsUnique = true)]
internal sealed class RuntimeOverrideEntity
{
    /// <summary>Surrogate key.</summary>
    public int Id { get; set; }

    /// <summary>Backend name.</summary>
    public string Backend { get; set; } = string.Empty;

    /// <summary>Server name.</summary>
    public string Server { get; set; } = string.Empty;

    /// <summary>Administrative state as the HAProxy word (<c>ready</c>, <c>drain</c>, <c>maint</c>); null = configured.</summary>
    public string? State { get; set; }

    /// <summary>Weight 0-256; null = configured.</summary>
    public uint? Weight { get; set; }

    /// <summary>Who set it last.</summary>
    public string UpdatedBy { get; set; } = string.Empty;

    /// <summary>When it was set last, UTC.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>The one-row table <c>RuntimeRevision</c>: the revision of the override set, raised by every change.</summary>
[Table("RuntimeRevision")]
internal sealed class RuntimeRevisionEntity
{
    /// <summary>Always 1.</summary>
    [DatabaseGenerated(DatabaseGeneratedOption.None)]
    public int Id { get; set; }

    /// <summary>Current revision; 0 = never changed.</summary>
    public long Revision { get; set; }
}
