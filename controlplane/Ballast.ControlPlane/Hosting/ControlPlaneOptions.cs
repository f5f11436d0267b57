namespace Ballast.ControlPlane.Hosting;

/// <summary>Start-up settings of the control plane (from the command line).</summary>
public sealed record ControlPlaneOptions
{
    /// <summary>Default dashboard and admin API address.</summary>
    public const string DefaultUrls = "http://127.0.0.1:9090";

    /// <summary>Default node gRPC address.</summary>
    public const string DefaultNodeUrls = "http://127.0.0.1:9091";

    /// <summary>Environment variable holding the admin token.</summary>
    public const string AdminTokenVariable = "BALLAST_ADMIN_TOKEN";

    /// <summary>Dashboard + admin API listen URLs, ';'-separated (HTTP/1.1 and HTTP/2).</summary>
    public string Urls { get; init; } = DefaultUrls;

    /// <summary>Node gRPC listen URLs, ';'-separated (HTTP/2 only, h2c).</summary>
    public string NodeUrls { get; init; } = DefaultNodeUrls;

    /// <summary>Folder of the database and the generated admin token; created when missing.</summary>
    public string DataDir { get; init; } = "./data";

    /// <summary>Admin token; null = <see cref="AdminTokenVariable"/>, else generated once and kept in the data folder.</summary>
    public string? AdminToken { get; init; }
}
