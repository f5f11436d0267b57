namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// The server options the model carries (HAProxy manual, section 5.2 "Server and default-server options"):
/// <c>check</c>, <c>weight</c>, <c>maxconn</c>, <c>disabled</c>/<c>enabled</c>, <c>inter</c>, <c>rise</c>,
/// <c>fall</c>. Null means "not written here"; <see cref="Over"/> layers a server line over its default-server.
/// </summary>
internal sealed record ServerOptions
{
    /// <summary>No option set.</summary>
    public static readonly ServerOptions None = new();

    /// <summary><c>check</c> (true) or <c>no-check</c> (false).</summary>
    public Sourced<bool>? Check { get; init; }

    /// <summary><c>weight</c>, 0-256.</summary>
    public Sourced<uint>? Weight { get; init; }

    /// <summary><c>maxconn</c>.</summary>
    public Sourced<uint>? Maxconn { get; init; }

    /// <summary><c>disabled</c> (true) or <c>enabled</c> (false).</summary>
    public Sourced<bool>? Disabled { get; init; }

    /// <summary><c>inter</c> in milliseconds.</summary>
    public Sourced<uint>? InterMs { get; init; }

    /// <summary><c>rise</c>.</summary>
    public Sourced<uint>? Rise { get; init; }

    /// <summary><c>fall</c>.</summary>
    public Sourced<uint>? Fall { get; init; }

    /// <summary><c>backup</c> (true) or <c>no-backup</c> (false).</summary>
    public Sourced<bool>? Backup { get; init; }

    /// <summary><c>slowstart</c> in milliseconds.</summary>
    public Sourced<uint>? SlowstartMs { get; init; }

    /// <summary><c>maxqueue</c>: most requests in the server's own queue; 0 = unlimited.</summary>
    public Sourced<uint>? Maxqueue { get; init; }

    /// <summary><c>port</c>: the health check's port.</summary>
    public Sourced<uint>? CheckPort { get; init; }

    /// <summary><c>addr</c>: the health check's address.</summary>
    public Sourced<string>? CheckAddr { get; init; }

    /// <summary><c>fastinter</c> in milliseconds.</summary>
    public Sourced<uint>? FastinterMs { get; init; }

    /// <summary><c>downinter</c> in milliseconds.</summary>
    public Sourced<uint>? DowninterMs { get; init; }

    /// <summary><c>cookie</c>: the persistence cookie value (server lines only).</summary>
    public Sourced<string>? Cookie { get; init; }

    /// <summary><c>ssl</c> (true) or <c>no-ssl</c> (false).</summary>
    public Sourced<bool>? Ssl { get; init; }

    /// <summary><c>verify none|required</c>.</summary>
    public Sourced<Proto.V1.ServerVerify>? Verify { get; init; }

    /// <summary><c>ca-file</c>: the certificate name (file base name); empty for <c>@system-ca</c>.</summary>
    public Sourced<string>? CaFile { get; init; }

    /// <summary><c>sni str(&lt;name&gt;)</c>: the name.</summary>
    public Sourced<string>? Sni { get; init; }

    /// <summary><c>send-proxy</c> (v1), <c>send-proxy-v2</c> (v2) or <c>no-send-proxy[-v2]</c> (none).</summary>
    public Sourced<Proto.V1.ProxyProtocolVersion>? SendProxy { get; init; }

    /// <summary><c>observe none|layer4|layer7</c>.</summary>
    public Sourced<Proto.V1.Observe>? Observe { get; init; }

    /// <summary><c>error-limit</c>.</summary>
    public Sourced<uint>? ErrorLimit { get; init; }

    /// <summary><c>on-error</c>.</summary>
    public Sourced<Proto.V1.OnError>? OnError { get; init; }

    /// <summary>These options where set, <paramref name="defaults"/> elsewhere.</summary>
    public ServerOptions Over(ServerOptions defaults) => new()
    {
        Check = Check ?? defaults.Check,
        Weight = Weight ?? defaults.Weight,
        Maxconn = Maxconn ?? defaults.Maxconn,
        Disabled = Disabled ?? defaults.Disabled,
        InterMs = InterMs ?? defaults.InterMs,
        Rise = Rise ?? defaults.Rise,
        Fall = Fall ?? defaults.Fall,
        Backup = Backup ?? defaults.Backup,
        SlowstartMs = SlowstartMs ?? defaults.SlowstartMs,
        Maxqueue = Maxqueue ?? defaults.Maxqueue,
        CheckPort = CheckPort ?? defaults.CheckPort,
        CheckAddr = CheckAddr ?? defaults.CheckAddr,
        FastinterMs = FastinterMs ?? defaults.FastinterMs,
        DowninterMs = DowninterMs ?? defaults.DowninterMs,
        Cookie = Cookie ?? defaults.Cookie,
        SendProxy = SendProxy ?? defaults.SendProxy,
        Observe = Observe ?? defaults.Observe,
        ErrorLimit = ErrorLimit ?? defaults.ErrorLimit,
        OnError = OnError ?? defaults.OnError,
        Ssl = Ssl ?? defaults.Ssl,
        Verify = Verify ?? defaults.Verify,
        CaFile = CaFile ?? defaults.CaFile,
        Sni = Sni ?? defaults.Sni,
    };
}
