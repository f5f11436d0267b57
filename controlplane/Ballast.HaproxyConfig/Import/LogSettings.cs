using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// The access-log settings of a proxy as a <c>defaults</c> section presets them and a proxy inherits and overrides
/// them: <c>log</c> targets (appended; <c>no log</c> clears), <c>option httplog</c>/<c>tcplog</c> (the last one wins,
/// as both set HAProxy's line format), <c>option dontlognull</c> and <c>log-format</c>.
/// </summary>
internal sealed record LogSettings
{
    /// <summary>Nothing set: no access log.</summary>
    public static readonly LogSettings None = new();

    /// <summary>The <c>log</c> targets, in file order (never mutated: a change makes a new list).</summary>
    public IReadOnlyList<LogTarget> Targets { get; init; } = [];

    /// <summary><c>option httplog</c>, where it was written.</summary>
    public Sourced<bool>? Httplog { get; init; }

    /// <summary><c>option tcplog</c>.</summary>
    public bool Tcplog { get; init; }

    /// <summary><c>option dontlognull</c>.</summary>
    public bool Dontlognull { get; init; }

    /// <summary><c>log-format</c>; null = none (the options decide).</summary>
    public string? Format { get; init; }

    /// <summary><c>capture request header</c> lines in file order (never in <c>defaults</c>: HAProxy refuses them there).</summary>
    public IReadOnlyList<Sourced<HeaderCapture>> RequestCaptures { get; init; } = [];

    /// <summary><c>capture response header</c> lines in file order.</summary>
    public IReadOnlyList<Sourced<HeaderCapture>> ResponseCaptures { get; init; } = [];
}
