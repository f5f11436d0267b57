namespace Ballast.ControlPlane.Declarative;

/// <summary>Answer of <c>POST /api/v1/apply</c>: what changed (or would change, on a dry run) in the working configuration.</summary>
/// <param name="DryRun">True when nothing was stored.</param>
/// <param name="Changes">The differences from the previous working configuration, frontends then backends, by name.</param>
/// <param name="Summary">Counts.</param>
public sealed record ApplyResponse(bool DryRun, IReadOnlyList<ConfigChange> Changes, ChangeSummary Summary);

/// <summary>Counts of a write of the working configuration.</summary>
/// <param name="Frontends">Frontends in the resulting working configuration.</param>
/// <param name="Backends">Backends in the resulting working configuration.</param>
/// <param name="Servers">Servers in the resulting working configuration.</param>
/// <param name="Added">Objects added.</param>
/// <param name="Removed">Objects removed.</param>
/// <param name="Changed">Fields changed.</param>
public sealed record ChangeSummary(int Frontends, int Backends, int Servers, int Added, int Removed, int Changed);
