using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Fleet;

/// <summary>A published version as streamed to nodes.</summary>
/// <param name="Version">Version number.</param>
/// <param name="Config">The configuration; shared by every stream, never modified.</param>
/// <param name="Hash">SHA-256 (lowercase hex) of the configuration's protobuf encoding, compared with a node's Hello.</param>
internal sealed record PublishedSnapshot(long Version, Config Config, string Hash);
