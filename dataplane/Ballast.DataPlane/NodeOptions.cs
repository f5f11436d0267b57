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

    /// <summary>Default of <c>--stats-urls</c>: HAProxy's customary stats port, local only.</summary>
    public const string DefaultStatsUrls = "http://127.0.0.1:8404";

    /// <summary>
    /// URLs of the local stats port (<c>--stats-urls</c>: <c>/metrics</c>, <c>/stats;csv</c>); empty = disabled
    /// (the default of this record, so embedded nodes open no port unless asked; the command line defaults to
    /// <see cref="DefaultStatsUrls"/>).
    /// </summary>
    public IReadOnlyList<Uri> StatsUrls { get; init; } = [];

    /// <summary>Parses <c>--stats-urls</c>: comma-separated absolute <c>http://host:port</c> URLs, or <c>none</c>.</summary>
    /// <param name="text">The option value.</param>
    /// <param name="urls">The URLs; empty for <c>none</c>.</param>
    /// <param name="error">Why parsing failed.</param>
    public static bool TryParseStatsUrls(string? text, out List<Uri> urls, out string? error)
    {
        urls = [];
        error = null;
        if (string.IsNullOrWhiteSpace(text) || text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out var url) || url.Scheme != "http" || url.AbsolutePath != "/")
            {
                error = $"invalid stats URL '{part}' (expected http://host:port or none)";
                return false;
            }

            urls.Add(url);
        }

        return true;
    }

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
