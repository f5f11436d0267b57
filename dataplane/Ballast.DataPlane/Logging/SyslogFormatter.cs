using System.Globalization;
using System.Text;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Logging;

/// <summary>
/// Syslog headers as HAProxy writes them (<c>log ... format rfc3164|rfc5424|raw</c>):
/// RFC 3164 <c>&lt;PRI&gt;Mmm dd hh:mm:ss host ballast[pid]: msg</c> (local time, day space-padded; HAProxy omits the
/// host unless <c>log-send-hostname</c>, Ballast sends it as RFC 3164 section 4.1.2 asks) and RFC 5424
/// <c>&lt;PRI&gt;1 2026-11-21T10:00:00.123456+00:00 host ballast pid - - msg</c>; PRI = facility * 8 + severity.
/// </summary>
internal static class SyslogFormatter
{
    /// <summary>The syslog tag / APP-NAME.</summary>
    public const string AppName = "ballast";

    /// <summary>Appends the header of <paramref name="target"/>'s format to <paramref name="line"/>.</summary>
    /// <param name="line">The output.</param>
    /// <param name="target">The target (format, facility, severity).</param>
    /// <param name="now">The message time.</param>
    /// <param name="hostName">The node's host name.</param>
    public static void AppendHeader(StringBuilder line, LogTargetSettings target, DateTimeOffset now, string hostName)
    {
        var inv = CultureInfo.InvariantCulture;
        var pri = (target.Facility * 8) + target.Severity;
        switch (target.Format)
        {
            case V1.LogFormat.Rfc5424:
                line.Append('<').Append(pri.ToString(inv)).Append(">1 ")
                    .Append(now.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", inv)).Append(' ')
                    .Append(hostName).Append(' ').Append(AppName).Append(' ')
                    .Append(Environment.ProcessId.ToString(inv)).Append(" - - ");
                break;
            case V1.LogFormat.Rfc3164:
                var local = now.ToLocalTime();
                line.Append('<').Append(pri.ToString(inv)).Append('>')
                    .Append(local.ToString("MMM", inv)).Append(' ')
                    .Append(local.Day.ToString(inv).PadLeft(2)).Append(' ')
                    .Append(local.ToString("HH:mm:ss", inv)).Append(' ')
                    .Append(hostName).Append(' ').Append(AppName).Append('[')
                    .Append(Environment.ProcessId.ToString(inv)).Append("]: ");
                break;
            default:
                break;
        }
    }
}
