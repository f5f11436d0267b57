namespace Ballast.DataPlane;

/// <summary>Command-line settings of a node (<c>ballast-node --help</c>).</summary>
/// <param name="ControlPlane">Control-plane gRPC address (<c>--control-plane</c>).</param>
/// <param name="NodeId">Node identity sent in Hello (<c>--node-id</c>, default: host name).</param>
/// <param name="Labels">Labels sent in Hello (<c>--labels k=v,...</c>).</param>
/// <param name="DataDir">Directory of the snapshot cache (<c>--data-dir</c>).</param>
internal sealed record NodeOptions(Uri ControlPlane, string NodeId, IReadOnlyDictionary<string, string> Labels, string DataDir)
{
    /// <summary>Default control-plane address.</summary>
    public const string DefaultControlPlane = "http://127.0.0.1:9091";

    /// <summary>Default data directory.</summary>
    public const string DefaultDataDir = "./node-data";

    /// <summary>Parses <c>k=v,k2=v2</c>; whitespace around keys and values is trimmed.</summary>
    /// <param name="text">The option value; null or empty gives no labels.</param>
    /// <param name="labels">The labels.</param>
    /// <param name="error">Why parsing failed.</param>
    public static bool TryParseLabels(string? text, out Dictionary<string, string> labels, out string? error)
    {
        labels = new Dictionary<string, string>(StringComparer.Ordinal);
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var key = equals > 0 ? part[..equals].Trim() : string.Empty;
            if (key.Length == 0)
            {
                error = $"invalid label '{part}' (expected key=value)";
                return false;
            }

            labels[key] = part[(equals + 1)..].Trim();
        }

        return true;
    }
}
