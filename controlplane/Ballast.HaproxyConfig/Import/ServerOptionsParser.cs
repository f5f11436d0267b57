using Ballast.HaproxyConfig.Syntax;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// Reads the options of a <c>server</c> or <c>default-server</c> line (manual, section 5.2): <c>check</c>/<c>no-check</c>,
/// <c>weight</c>, <c>maxconn</c>, <c>disabled</c>/<c>enabled</c>, <c>inter</c>, <c>fastinter</c>, <c>downinter</c>,
/// <c>rise</c>, <c>fall</c>, <c>backup</c>/<c>no-backup</c>, <c>slowstart</c>, the check's <c>port</c> and <c>addr</c>, a server's <c>cookie</c>
/// and the TLS options (<see cref="ServerTlsOptions"/>) are mapped; every other option is reported at its column.
/// </summary>
internal static class ServerOptionsParser
{
    /// <summary>Maximum server weight (HAProxy's <c>SRV_UWGHT_MAX</c>).</summary>
    public const uint MaxWeight = 256;

    /// <summary>Reads options from word <paramref name="start"/> on; <paramref name="lineKeyword"/> is <c>server</c> or <c>default-server</c>.</summary>
    public static ServerOptions Parse(SectionScope scope, ConfigStatement statement, int start, string lineKeyword)
    {
        var options = ServerOptions.None;
        var i = start;
        while (i < statement.Count)
        {
            var keyword = statement[i];
            var column = statement.ColumnOf(i);
            var line = statement.Line;
            switch (keyword)
            {
                case "check":
                    options = options with { Check = new(true, line, column) };
                    break;
                case "no-check":
                    options = options with { Check = new(false, line, column) };
                    break;
                case "disabled":
                    options = options with { Disabled = new(true, line, column) };
                    break;
                case "enabled":
                    options = options with { Disabled = new(false, line, column) };
                    break;
                case "weight":
                    if (Arguments.TryUInt(scope, statement, i + 1, keyword, 0, MaxWeight, out var weight))
                    {
                        options = options with { Weight = new(weight, line, column) };
                    }

                    i++;
                    break;
                case "maxconn":
                    if (Arguments.TryUInt(scope, statement, i + 1, keyword, 0, int.MaxValue, out var maxconn))
                    {
                        options = options with { Maxconn = new(maxconn, line, column) };
                    }

                    i++;
                    break;
                case "maxqueue":
                    if (Arguments.TryUInt(scope, statement, i + 1, keyword, 0, int.MaxValue, out var maxqueue))
                    {
                        options = options with { Maxqueue = new(maxqueue, line, column) };
                    }

                    i++;
                    break;
                case "inter":
                    if (Arguments.TryTime(scope, statement, i + 1, keyword, out var inter))
                    {
                        options = options with { InterMs = new(inter, line, column) };
                    }

                    i++;
                    break;
                case "rise" or "fall":
                    if (Arguments.TryUInt(scope, statement, i + 1, keyword, 1, int.MaxValue, out var count))
                    {
                        options = keyword == "rise"
                            ? options with { Rise = new(count, line, column) }
                            : options with { Fall = new(count, line, column) };
                    }

                    i++;
                    break;
                case "backup":
                    options = options with { Backup = new(true, line, column) };
                    break;
                case "no-backup":
                    options = options with { Backup = new(false, line, column) };
                    break;
                case "slowstart" or "fastinter" or "downinter":
                    if (Arguments.TryTime(scope, statement, i + 1, keyword, out var ms))
                    {
                        options = keyword switch
                        {
                            "slowstart" => options with { SlowstartMs = new(ms, line, column) },
                            "fastinter" => options with { FastinterMs = new(ms, line, column) },
                            _ => options with { DowninterMs = new(ms, line, column) },
                        };
                    }

                    i++;
                    break;
                case "port":
                    if (Arguments.TryUInt(scope, statement, i + 1, keyword, 1, 65535, out var checkPort))
                    {
                        options = options with { CheckPort = new(checkPort, line, column) };
                    }

                    i++;
                    break;
                case "addr":
                    if (statement[i + 1] is { Length: > 0 } addr)
                    {
                        options = options with { CheckAddr = new(addr, line, column) };
                    }
                    else
                    {
                        scope.Error(statement, i + 1, "'addr' expects an address as argument");
                    }

                    i++;
                    break;
                case "cookie" when lineKeyword == "server":
                    if (statement[i + 1] is { Length: > 0 } cookie)
                    {
                        options = options with { Cookie = new(cookie, line, column) };
                    }
                    else
                    {
                        scope.Error(statement, i + 1, "'cookie' expects a value as argument");
                    }

                    i++;
                    break;
                case "source":
                    i += ReportSource(scope, statement, i, lineKeyword);
                    break;
                case var proxy when ServerProxyProtocolOptions.Handles(proxy):
                    options = ServerProxyProtocolOptions.Read(statement, i, options);
                    break;
                case var passive when ServerPassiveHealthOptions.Handles(passive):
                    i += ServerPassiveHealthOptions.Read(scope, statement, i, ref options);
                    break;
                case var tls when ServerTlsOptions.Handles(tls):
                    i += ServerTlsOptions.Read(scope, statement, i, lineKeyword, ref options);
                    break;
                default:
                    i += ReportUnmapped(scope, statement, i, lineKeyword);
                    break;
            }

            i++;
        }

        return options;
    }

    private static int ReportUnmapped(SectionScope scope, ConfigStatement statement, int index, string lineKeyword)
    {
        var keyword = statement[index];
        var arguments = ServerKeywords.ArgumentCount(keyword);
        var reason = arguments is null ? "unsupported: unknown server option"
            : keyword == "backup" ? "unsupported: backup servers are not in the Ballast model yet; the server is imported as an active server"
            : keyword.StartsWith("no-", StringComparison.Ordinal) ? "ignored: cancels an option that is not in the Ballast model"
            : Reasons.NotInModel;
        var severity = reason.StartsWith("ignored", StringComparison.Ordinal) ? FindingSeverity.Ignored : FindingSeverity.Unsupported;
        scope.Report(statement, index, $"{lineKeyword} {keyword}", severity, reason);
        return arguments ?? 0;
    }

    /// <summary><c>source &lt;addr&gt;[:&lt;port&gt;] [usesrc &lt;addr&gt;] [interface &lt;name&gt;]</c>: returns the extra words consumed.</summary>
    private static int ReportSource(SectionScope scope, ConfigStatement statement, int index, string lineKeyword)
    {
        scope.Report(statement, index, $"{lineKeyword} source", FindingSeverity.Unsupported, Reasons.NotInModel);
        var consumed = 1;
        while (statement[index + consumed + 1] is "usesrc" or "interface")
        {
            consumed += 2;
        }

        return consumed;
    }
}
