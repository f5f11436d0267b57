using Ballast.HaproxyConfig.Syntax;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// Maps the statements of a <c>defaults</c>, <c>frontend</c>, <c>backend</c> or <c>listen</c> section
/// (manual, section 4.2) into a <see cref="ProxyDraft"/>, one statement at a time and in file order: each is mapped,
/// reported, or both. Keywords HAProxy ignores in a section without the capability are reported as ignored, with
/// HAProxy's own warning.
/// </summary>
internal static class ProxySectionMapper
{
    /// <summary>Maps every statement of <paramref name="draft"/>'s section.</summary>
    public static void Map(ProxyDraft draft)
    {
        foreach (var statement in draft.Scope.Section.Statements)
        {
            MapStatement(draft, statement);
        }
    }

    private static void MapStatement(ProxyDraft draft, ConfigStatement statement)
    {
        var scope = draft.Scope;
        if (statement.Keyword is "no" or "default")
        {
            MapModifier(draft, statement);
            return;
        }

        switch (statement.Keyword)
        {
            case "mode":
                MapMode(draft, statement);
                break;
            case "maxconn":
                MapMaxconn(draft, statement);
                break;
            case "bind":
                BindMapper.Map(draft, statement);
                break;
            case "default_backend":
                MapDefaultBackend(draft, statement);
                break;
            case "balance":
                BalanceMapper.Map(draft, statement);
                break;
            case "hash-type":
                BalanceMapper.MapHashType(draft, statement);
                break;
            case "server":
                ServerMapper.MapServer(draft, statement);
                break;
            case "default-server":
                ServerMapper.MapDefaultServer(draft, statement);
                break;
            case "log":
                LogMapper.MapLog(draft, statement, negated: false);
                break;
            case "log-format":
                LogMapper.MapFormat(draft, statement);
                break;
            case "capture" when CaptureMapper.Handles(statement):
                CaptureMapper.Map(draft, statement);
                break;
            case "option" when LogMapper.IsLogOption(statement[1]):
                LogMapper.MapOption(draft, statement, negated: false);
                break;
            case "option" when HealthCheckMapper.IsCheckOption(statement[1]):
                HealthCheckMapper.MapOption(draft, statement);
                break;
            case "http-check":
                HealthCheckMapper.MapHttpCheck(draft, statement);
                break;
            case "option" when TrafficMapper.IsOption(statement[1]):
                TrafficMapper.MapOption(draft, statement, negated: false);
                break;
            case "timeout" when TrafficMapper.IsTimeout(statement[1]):
                TrafficMapper.MapTimeout(draft, statement);
                break;
            case "retries":
                TrafficMapper.MapRetries(draft, statement);
                break;
            case "retry-on":
                TrafficMapper.MapRetryOn(draft, statement);
                break;
            case var keyword when RuleMapper.Handles(keyword):
                RuleMapper.Map(draft, statement);
                break;
            case "timeout" when statement[1] == "check":
                HealthCheckMapper.MapTimeout(draft, statement);
                break;
            case "timeout":
                ReportTimeout(scope, statement);
                break;
            default:
                UnmappedProxyKeywords.Report(scope, statement);
                break;
        }
    }

    private static void MapModifier(ProxyDraft draft, ConfigStatement statement)
    {
        var scope = draft.Scope;
        if (statement.Keyword == "no" && statement[1] == "log")
        {
            LogMapper.MapLog(draft, statement, negated: true);
        }
        else if (statement.Keyword == "no" && statement[1] == "option" && LogMapper.IsLogOption(statement[2]))
        {
            LogMapper.MapOption(draft, statement, negated: true);
        }
        else if (statement.Keyword == "no" && statement[1] == "option" && TrafficMapper.IsOption(statement[2]))
        {
            TrafficMapper.MapOption(draft, statement, negated: true);
        }
        else if (statement[1] is not ("option" or "log"))
        {
            scope.Error(statement, 0, "negation/default is only supported for options and log");
        }
        else if (statement[1] == "option" && HealthCheckMapper.IsCheckOption(statement[2]))
        {
            scope.Error(statement, 0, $"negation/default is not supported for option '{statement[2]}'");
        }
        else
        {
            UnmappedProxyKeywords.Report(scope, statement);
        }
    }

    private static void MapMode(ProxyDraft draft, ConfigStatement statement)
    {
        var scope = draft.Scope;
        Mode? mode = statement[1] switch
        {
            "http" => Mode.Http,
            "tcp" => Mode.Tcp,
            _ => null,
        };
        if (mode is null)
        {
            scope.Error(statement, 1, $"unknown proxy mode '{statement[1]}' (expected http or tcp)");
            return;
        }

        if (Arguments.NoMoreThan(scope, statement, 1, "mode"))
        {
            draft.Settings = draft.Settings with { Mode = new(mode.Value, statement.Line, statement.ColumnOf(1)) };
            scope.Mapped(statement, Target(draft, $"mode {statement[1]}"));
        }
    }

    private static void MapMaxconn(ProxyDraft draft, ConfigStatement statement)
    {
        var scope = draft.Scope;
        if (!draft.Kind.HasFrontend())
        {
            scope.Report(statement, FindingSeverity.Ignored, Reasons.NoCapability("maxconn", "backend", "frontend") + " (maybe 'fullconn' was meant)");
            return;
        }

        if (Arguments.TryUInt(scope, statement, 1, "maxconn", 0, int.MaxValue, out var maxconn) && Arguments.NoMoreThan(scope, statement, 1, "maxconn"))
        {
            draft.Settings = draft.Settings with { Maxconn = new(maxconn, statement.Line, statement.ColumnOf(1)) };
            scope.Mapped(statement, Target(draft, "maxconn"));
        }
    }

    private static void MapDefaultBackend(ProxyDraft draft, ConfigStatement statement)
    {
        var scope = draft.Scope;
        if (!draft.Kind.HasFrontend())
        {
            scope.Report(statement, FindingSeverity.Ignored, Reasons.NoCapability("default_backend", "backend", "frontend"));
            return;
        }

        if (statement.Count < 2)
        {
            scope.Error(statement, 1, "'default_backend' expects a backend name");
            return;
        }

        if (Arguments.NoMoreThan(scope, statement, 1, "default_backend"))
        {
            draft.Settings = draft.Settings with { DefaultBackend = new(statement[1], statement.Line, statement.ColumnOf(1)) };
            scope.Mapped(statement, Target(draft, $"default_backend {statement[1]}"));
        }
    }

    private static void ReportTimeout(SectionScope scope, ConfigStatement statement)
    {
        var keyword = KeywordNames.Of(statement);
        if (Arguments.TryTime(scope, statement, 2, keyword, out _))
        {
            scope.Report(statement, FindingSeverity.Unsupported, Reasons.NotInModel);
        }
    }

    private static string Target(ProxyDraft draft, string what) => draft.Kind switch
    {
        ProxyKind.Defaults => $"defaults: {what} (inherited)",
        ProxyKind.Backend => $"backend {draft.Name}: {what}",
        ProxyKind.Frontend => $"frontend {draft.Name}: {what}",
        _ => $"listen {draft.Name}: {what}",
    };
}
