using System.Globalization;
using System.Text;
using Ballast.HaproxyConfig.Logging;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Export;

/// <summary>
/// Writes a frontend's access-log settings: each target as <c>log ...</c> (with the shared <see cref="HaproxyLog"/>
/// writer), <c>option httplog</c>/<c>tcplog</c>/<c>dontlognull</c>, then <c>log-format</c> (last, so that it wins over
/// the options in HAProxy as it does in the model), then <c>capture request|response header</c> lines in order. A file target has no HAProxy equivalent (HAProxy reads a path as a
/// UNIX socket) and is written as a comment.
/// </summary>
internal static class LogExport
{
    /// <summary>Appends the log lines of <paramref name="frontend"/>.</summary>
    public static void Write(StringBuilder text, Frontend frontend, string indent)
    {
        foreach (var target in frontend.Logs)
        {
            var line = $"log {HaproxyLog.Format(target)}";
            if (HaproxyLog.IsFile(target.Address))
            {
                text.Append(indent).AppendLine($"# Ballast appends this access log to a file; HAProxy would read the path as a UNIX socket: {line}");
            }
            else
            {
                text.Append(indent).AppendLine(line);
            }
        }

        if (frontend.OptionHttplog)
        {
            text.Append(indent).AppendLine("option httplog");
        }

        if (frontend.OptionTcplog)
        {
            text.Append(indent).AppendLine("option tcplog");
        }

        if (frontend.OptionDontlognull)
        {
            text.Append(indent).AppendLine("option dontlognull");
        }

        if (frontend.LogFormat.Length > 0)
        {
            text.Append(indent).Append("log-format ").AppendLine(HaproxyQuoting.Quote(frontend.LogFormat));
        }

        foreach (var capture in frontend.CaptureRequestHeaders)
        {
            text.Append(indent).Append("capture request header ").Append(HaproxyQuoting.Quote(capture.Name)).Append(" len ").AppendLine(capture.Len.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var capture in frontend.CaptureResponseHeaders)
        {
            text.Append(indent).Append("capture response header ").Append(HaproxyQuoting.Quote(capture.Name)).Append(" len ").AppendLine(capture.Len.ToString(CultureInfo.InvariantCulture));
        }
    }
}
