using System.Globalization;
using System.Text;

namespace Ballast.DataPlane.Logging;

/// <summary>
/// A compiled HAProxy <c>log-format</c> string (configuration.txt 8.2.6): literal text and <c>%var</c> or
/// <c>%{+Q}var</c> variables (<c>+Q</c> quotes the value; other flags are accepted and ignored); <c>%%</c> is a
/// percent sign. As HAProxy, a run of spaces is one separator written once, so a variable with no output (e.g.
/// <c>%hr</c> without captures) leaves a single space. Supported variables: <c>ci cp fi fp si sp bi bp t tr T Ts
/// ft f b s TR Tw Tc Tr Ta Tt Tq Th Ti Td ST B U CC CS ts tsc ac fc bc sc rc sq bq hr hs hrl hsl r HM HU HP HQ HV ID
/// H pid</c>; an unknown variable or a sample fetch (<c>%[...]</c>) is an error.
/// </summary>
internal sealed class LogFormatTemplate
{
    private static readonly HashSet<string> Known =
    [
        "ci", "cp", "fi", "fp", "si", "sp", "bi", "bp", "t", "tr", "T", "Ts", "ft", "f", "b", "s", "TR", "Tw", "Tc",
        "Tr", "Ta", "Tt", "Tq", "Th", "Ti", "Td", "ST", "B", "U", "CC", "CS", "ts", "tsc", "ac", "fc", "bc", "sc", "rc",
        "sq", "bq", "hr", "hs", "hrl", "hsl", "r", "HM", "HU", "HP", "HQ", "HV", "ID", "H", "pid",
    ];

    private readonly Token[] _tokens;

    private LogFormatTemplate(Token[] tokens) => _tokens = tokens;

    /// <summary>Parses a log-format string.</summary>
    /// <param name="format">The format.</param>
    /// <param name="template">The compiled format.</param>
    /// <param name="error">Why parsing failed.</param>
    public static bool TryParse(string format, out LogFormatTemplate? template, out string? error)
    {
        template = null;
        error = null;
        var tokens = new List<Token>();
        var literal = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c != '%')
            {
                if (c == ' ')
                {
                    Flush(tokens, literal);
                    while (i + 1 < format.Length && format[i + 1] == ' ')
                    {
                        i++;
                    }

                    tokens.Add(new Token(TokenKind.Separator, " ", false));
                }
                else
                {
                    literal.Append(c);
                }

                continue;
            }

            if (i + 1 < format.Length && format[i + 1] == '%')
            {
                literal.Append('%');
                i++;
                continue;
            }

            var quote = false;
            var j = i + 1;
            if (j < format.Length && format[j] == '{')
            {
                var close = format.IndexOf('}', j);
                if (close < 0)
                {
                    error = $"missing '}}' at position {i}";
                    return false;
                }

                quote = format.AsSpan(j + 1, close - j - 1).IndexOf("+Q", StringComparison.Ordinal) >= 0;
                j = close + 1;
            }

            if (j < format.Length && format[j] == '[')
            {
                error = $"sample fetches (%[...]) are not supported (position {i})";
                return false;
            }

            var start = j;
            while (j < format.Length && char.IsAsciiLetter(format[j]))
            {
                j++;
            }

            var name = format[start..j];
            if (!Known.Contains(name))
            {
                error = name.Length == 0 ? $"missing variable name at position {i}" : $"unknown variable '%{name}'";
                return false;
            }

            Flush(tokens, literal);
            tokens.Add(new Token(TokenKind.Variable, name, quote));
            i = j - 1;
        }

        Flush(tokens, literal);
        template = new LogFormatTemplate([.. tokens]);
        return true;
    }

    /// <summary>Appends the line of <paramref name="entry"/> to <paramref name="line"/>.</summary>
    /// <param name="entry">The values.</param>
    /// <param name="line">The output.</param>
    /// <param name="hostName">The node's host name (<c>%H</c>).</param>
    public void Render(in AccessLogEntry entry, StringBuilder line, string hostName)
    {
        var lineStart = line.Length;
        foreach (var token in _tokens)
        {
            switch (token.Kind)
            {
                case TokenKind.Literal:
                    line.Append(token.Text);
                    break;
                case TokenKind.Separator:
                    if (line.Length > lineStart && line[^1] != ' ')
                    {
                        line.Append(' ');
                    }

                    break;
                case TokenKind.Variable when token.Text is "hr" or "hs" or "hrl" or "hsl":
                    HeaderCaptures.Render(token.Text[1] == 'r' ? entry.RequestCaptures : entry.ResponseCaptures, token.Text.Length == 3, token.Quote, line);
                    break;
                default:
                    if (token.Quote)
                    {
                        line.Append('"');
                    }

                    AppendVariable(token.Text, entry, line, hostName);
                    if (token.Quote)
                    {
                        line.Append('"');
                    }

                    break;
            }
        }

        while (line.Length > lineStart && line[^1] == ' ')
        {
            line.Length--;
        }
    }

    private static void AppendVariable(string name, in AccessLogEntry e, StringBuilder line, string hostName)
    {
        var inv = CultureInfo.InvariantCulture;
        switch (name)
        {
            case "ci": AppendAddress(line, e.ClientAddress); break;
            case "cp": line.Append(e.ClientPort.ToString(inv)); break;
            case "fi": AppendAddress(line, e.FrontendAddress); break;
            case "fp": line.Append(e.FrontendPort.ToString(inv)); break;
            case "si": line.Append(e.ServerAddress ?? "-"); break;
            case "sp": line.Append(e.ServerAddress is null ? "-" : e.ServerPort.ToString(inv)); break;
            case "bi": line.Append('-'); break;
            case "bp": line.Append('-'); break;
            case "t": AppendDate(line, e.AcceptTime); break;
            case "tr": AppendDate(line, e.RequestTime); break;
            case "T": line.Append(e.AcceptTime.UtcDateTime.ToString("dd/MMM/yyyy:HH:mm:ss", inv)).Append(" +0000"); break;
            case "Ts": line.Append(e.AcceptTime.ToUnixTimeSeconds().ToString(inv)); break;
            case "ft" or "f": line.Append(e.Frontend); break;
            case "b": line.Append(e.Backend); break;
            case "s": line.Append(e.Server); break;
            case "TR": line.Append(e.RequestHeaderTime.ToString(inv)); break;
            case "Th": line.Append('0'); break; // handshakes happen before the connection's timers start (see README)
            case "Ti": line.Append(e.IdleTime.ToString(inv)); break;
            case "Tq": line.Append((e.IdleTime + e.RequestHeaderTime).ToString(inv)); break; // Th + Ti + TR
            case "Tw": line.Append(e.Times.Queue.ToString(inv)); break;
            case "Tc": line.Append(e.Times.Connect.ToString(inv)); break;
            case "Tr": line.Append(e.Times.Response.ToString(inv)); break;
            case "Ta": line.Append((e.Times.Total + e.RequestHeaderTime).ToString(inv)); break; // from TR's start
            case "Tt": line.Append((e.Times.Total + e.IdleTime + e.RequestHeaderTime).ToString(inv)); break; // Tq + Tw + Tc + Tr + Td
            case "Td":
                line.Append(e.Times.Response < 0 ? "-1" : Math.Max(0, e.Times.Total - e.Times.Queue - e.Times.Connect - e.Times.Response).ToString(inv));
                break;
            case "ST": line.Append(e.Status.ToString(inv)); break;
            case "B": line.Append(e.BytesSent.ToString(inv)); break;
            case "U": line.Append(e.BytesReceived.ToString(inv)); break;
            case "CC" or "CS" or "ID": line.Append('-'); break;
            case "ts": line.Append(e.Termination); break;
            case "tsc": line.Append(e.Termination).Append("--"); break;
            case "ac": line.Append(e.ActiveConnections.ToString(inv)); break;
            case "fc": line.Append(e.FrontendConnections.ToString(inv)); break;
            case "bc": line.Append(e.BackendConnections.ToString(inv)); break;
            case "sc": line.Append(e.ServerConnections.ToString(inv)); break;
            case "rc": line.Append(e.Retries.ToString(inv)); break;
            case "sq": line.Append(e.ServerQueue.ToString(inv)); break;
            case "bq": line.Append(e.BackendQueue.ToString(inv)); break;
            case "r":
                if (e.Method is null)
                {
                    line.Append("<BADREQ>");
                }
                else
                {
                    line.Append(e.Method).Append(' ').Append(e.Target).Append(' ').Append(e.Protocol);
                }

                break;
            case "HM": line.Append(e.Method ?? "-"); break;
            case "HU": line.Append(e.Target ?? "-"); break;
            case "HP": line.Append(e.Target is { } p ? p.AsSpan(0, QueryStart(p)) : "-"); break;
            case "HQ": line.Append(e.Target is { } q && QueryStart(q) < q.Length ? q.AsSpan(QueryStart(q)) : string.Empty); break;
            case "HV": line.Append(e.Protocol ?? "-"); break;
            case "H": line.Append(hostName); break;
            case "pid": line.Append(Environment.ProcessId.ToString(inv)); break;
            default: break;
        }
    }

    private static int QueryStart(string target)
    {
        var index = target.IndexOf('?', StringComparison.Ordinal);
        return index < 0 ? target.Length : index;
    }

    private static void AppendAddress(StringBuilder line, System.Net.IPAddress? address)
    {
        if (address is null)
        {
            line.Append('-');
            return;
        }

        line.Append((address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString());
    }

    /// <summary>HAProxy's <c>%t</c> date: <c>dd/Mmm/yyyy:HH:mm:ss.mmm</c>, local time.</summary>
    private static void AppendDate(StringBuilder line, DateTimeOffset time) =>
        line.Append(time.ToLocalTime().ToString("dd/MMM/yyyy:HH:mm:ss.fff", CultureInfo.InvariantCulture));

    private static void Flush(List<Token> tokens, StringBuilder literal)
    {
        if (literal.Length > 0)
        {
            tokens.Add(new Token(TokenKind.Literal, literal.ToString(), false));
            literal.Clear();
        }
    }

    private enum TokenKind
    {
        Literal,
        Separator,
        Variable,
    }

    private readonly record struct Token(TokenKind Kind, string Text, bool Quote);
}
