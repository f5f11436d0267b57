using System.Net;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Logging;

/// <summary>Where a log target writes.</summary>
internal enum LogTargetKind
{
    /// <summary>The process's standard output.</summary>
    Stdout,

    /// <summary>The process's standard error.</summary>
    Stderr,

    /// <summary>A file, appended to.</summary>
    File,

    /// <summary>A syslog server over UDP.</summary>
    Udp,
}

/// <summary>
/// One parsed <c>log</c> line of a frontend, as HAProxy <c>log &lt;target&gt; [len &lt;n&gt;] [format &lt;fmt&gt;]
/// &lt;facility&gt; [&lt;level&gt;]</c>. Equal settings share one open destination in the <see cref="AccessLogWriter"/>.
/// </summary>
/// <param name="Kind">Destination kind.</param>
/// <param name="Address">The file path, or the syslog host; empty for stdout/stderr.</param>
/// <param name="Port">Syslog UDP port (514 by default).</param>
/// <param name="Format">Syslog header format.</param>
/// <param name="Facility">Syslog facility code (local0 = 16).</param>
/// <param name="Severity">Syslog severity code (info = 6).</param>
/// <param name="MaxLength">Longest line in bytes; longer ones are truncated (HAProxy <c>len</c>, default 1024).</param>
internal sealed record LogTargetSettings(LogTargetKind Kind, string Address, int Port, V1.LogFormat Format, int Facility, int Severity, int MaxLength)
{
    /// <summary>HAProxy's default maximum line length.</summary>
    public const int DefaultMaxLength = 1024;

    /// <summary>The syslog port.</summary>
    public const int SyslogPort = 514;

    private static readonly string[] Facilities =
    [
        "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "auth2", "ftp", "ntp",
        "audit", "alert", "cron2", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
    ];

    private static readonly string[] Severities = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"];

    /// <summary>Parses a target; null with <paramref name="error"/> when invalid.</summary>
    /// <param name="target">The target.</param>
    /// <param name="error">Why it is invalid.</param>
    public static LogTargetSettings? TryParse(V1.LogTarget target, out string? error)
    {
        error = null;
        var facility = string.IsNullOrEmpty(target.Facility) ? 16 : Array.IndexOf(Facilities, target.Facility);
        if (facility < 0)
        {
            error = $"unknown log facility '{target.Facility}'";
            return null;
        }

        var severity = string.IsNullOrEmpty(target.Level) ? 6 : Array.IndexOf(Severities, target.Level);
        if (severity < 0)
        {
            error = $"unknown log level '{target.Level}'";
            return null;
        }

        if (!Enum.IsDefined(target.Format))
        {
            error = $"unknown log format {(int)target.Format}";
            return null;
        }

        var maxLength = target.MaxLen == 0 ? DefaultMaxLength : (int)Math.Min(target.MaxLen, 65535);
        if (maxLength < 80)
        {
            error = $"log len {target.MaxLen} is below 80";
            return null;
        }

        var address = target.Address.Trim();
        switch (address)
        {
            case "stdout":
                return new(LogTargetKind.Stdout, string.Empty, 0, target.Format, facility, severity, maxLength);
            case "stderr":
                return new(LogTargetKind.Stderr, string.Empty, 0, target.Format, facility, severity, maxLength);
            case "":
                error = "log target address is empty";
                return null;
        }

        if (address.StartsWith('/'))
        {
            return new(LogTargetKind.File, address, 0, target.Format, facility, severity, maxLength);
        }

        var hostPort = address.StartsWith("udp@", StringComparison.Ordinal) ? address[4..]
            : address.StartsWith("udp4@", StringComparison.Ordinal) ? address[5..]
            : address;
        var port = SyslogPort;
        var host = hostPort;
        var colon = hostPort.LastIndexOf(':');
        if (colon > 0 && hostPort.IndexOf(':') == colon)
        {
            host = hostPort[..colon];
            if (!int.TryParse(hostPort[(colon + 1)..], out port) || port is < 1 or > 65535)
            {
                error = $"invalid log target port in '{address}'";
                return null;
            }
        }
        else if (hostPort.StartsWith('[') && hostPort.Contains("]:", StringComparison.Ordinal))
        {
            var end = hostPort.IndexOf("]:", StringComparison.Ordinal);
            host = hostPort[1..end];
            if (!int.TryParse(hostPort[(end + 2)..], out port) || port is < 1 or > 65535)
            {
                error = $"invalid log target port in '{address}'";
                return null;
            }
        }

        if (host.Length == 0 || (!IPAddress.TryParse(host, out _) && Uri.CheckHostName(host) != UriHostNameType.Dns))
        {
            error = $"invalid log target '{address}' (expected stdout, stderr, an absolute file path or host:port)";
            return null;
        }

        return new(LogTargetKind.Udp, host, port, target.Format, facility, severity, maxLength);
    }
}
