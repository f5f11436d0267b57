using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// The settings of a proxy that the model carries, as a <c>defaults</c> section presets them and a proxy section
/// inherits and overrides them (manual, section 4: "A defaults section resets all settings to the documented ones
/// and presets new ones for use by subsequent sections"). Null means HAProxy's documented default.
/// </summary>
internal sealed record ProxySettings
{
    /// <summary>HAProxy's documented defaults: nothing set.</summary>
    public static readonly ProxySettings Documented = new();

    /// <summary><c>mode</c>; HAProxy's default is tcp.</summary>
    public Sourced<Mode>? Mode { get; init; }

    /// <summary>Frontend <c>maxconn</c>.</summary>
    public Sourced<uint>? Maxconn { get; init; }

    /// <summary><c>default_backend</c>.</summary>
    public Sourced<string>? DefaultBackend { get; init; }

    /// <summary><c>balance</c>; HAProxy's default is roundrobin.</summary>
    public Sourced<BalanceSettings>? Balance { get; init; }

    /// <summary><c>hash-type</c>; HAProxy's default is map-based with sdbm.</summary>
    public Sourced<HashSettings>? Hash { get; init; }

    /// <summary>Health check settings.</summary>
    public CheckSettings Check { get; init; } = CheckSettings.None;

    /// <summary><c>default-server</c> options.</summary>
    public ServerOptions DefaultServer { get; init; } = ServerOptions.None;

    /// <summary>Access-log settings (<c>log</c>, <c>option httplog|tcplog|dontlognull</c>, <c>log-format</c>).</summary>
    public LogSettings Log { get; init; } = LogSettings.None;

    /// <summary>Timeouts, retries, redispatch, allbackups and forwardfor.</summary>
    public TrafficSettings Traffic { get; init; } = TrafficSettings.None;
}
