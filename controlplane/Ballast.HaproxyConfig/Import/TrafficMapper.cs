using System.Globalization;
using Ballast.HaproxyConfig.Syntax;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// Maps timeouts, retries and the backend's header and redispatch options (manual, section 4.2) into
/// <see cref="ProxySettings.Traffic"/>: <c>timeout client</c> (frontend), <c>timeout connect|server|queue</c>,
/// <c>retries</c>, <c>retry-on</c>, <c>[no] option redispatch [&lt;interval&gt;]</c>, <c>[no] option allbackups</c>
/// and <c>[no] option forwardfor [except &lt;net&gt;] [header &lt;name&gt;]</c> (backend). They are inherited from
/// <c>defaults</c>. A timeout equal to the model's meaning of 0 (client/server 50s, connect 5s) is stored as 0.
/// </summary>
internal static class TrafficMapper
{
    private const uint DefaultClientServerMs = 50000;
    private const uint DefaultConnectMs = 5000;

    private static readonly string[] RetryOnWords =
    [
        "none", "conn-failure", "empty-response", "response-timeout", "all-retryable-errors",
        "401", "403", "404", "408", "425", "500", "501", "502", "503", "504",
    ];

    /// <summary>Whether <c>timeout &lt;name&gt;</c> is mapped here.</summary>
    public static bool IsTimeout(string name) => name is "client" or "connect" or "server" or "queue" or "http-request" or "http-keep-alive" or "tunnel";

    /// <summary>Whether <c>option &lt;name&gt;</c> is mapped here.</summary>
    public static bool IsOption(string name) => name is "redispatch" or "allbackups" or "forwardfor" or "forwarded";

    /// <summary>Maps <c>timeout client|connect|server|queue &lt;time&gt;</c>.</summary>
    public static void MapTimeout(ProxyDraft draft, ConfigStatement statement)
    {
        var name = statement[1];
        var keyword = $"timeout {name}";
        if (!Capable(draft, statement, keyword, frontend: name is "client" or "http-request" or "http-keep-alive")
            || !Arguments.TryTime(draft.Scope, statement, 2, keyword, out var ms)
            || !Arguments.NoMoreThan(draft.Scope, statement, 2, keyword))
        {
            return;
        }

        var stored = (name, ms) is ("client" or "server", DefaultClientServerMs) or ("connect", DefaultConnectMs) ? 0 : ms;
        Sourced<uint> value = new(stored, statement.Line, statement.ColumnOf(2));
        var traffic = draft.Settings.Traffic;
        traffic = name switch
        {
            "client" => traffic with { TimeoutClientMs = value },
            "connect" => traffic with { TimeoutConnectMs = value },
            "server" => traffic with { TimeoutServerMs = value },
            "http-request" => traffic with { TimeoutHttpRequestMs = new(ms, statement.Line, statement.ColumnOf(2)) },
            "http-keep-alive" => traffic with { TimeoutHttpKeepAliveMs = new(ms, statement.Line, statement.ColumnOf(2)) },
            "tunnel" => traffic with { TimeoutTunnelMs = new(ms, statement.Line, statement.ColumnOf(2)) },
            _ => traffic with { TimeoutQueueMs = value },
        };
        Set(draft, statement, traffic, $"{keyword} {ms} ms");
    }

    /// <summary>Maps <c>retries &lt;n&gt;</c>.</summary>
    public static void MapRetries(ProxyDraft draft, ConfigStatement statement)
    {
        if (Capable(draft, statement, "retries", frontend: false)
            && Arguments.TryUInt(draft.Scope, statement, 1, "retries", 0, int.MaxValue, out var retries)
            && Arguments.NoMoreThan(draft.Scope, statement, 1, "retries"))
        {
            Set(draft, statement, draft.Settings.Traffic with { Retries = new(retries, statement.Line, statement.ColumnOf(1)) }, $"retries {retries}");
        }
    }

    /// <summary>Maps <c>retry-on &lt;keywords&gt;</c>; keywords the model lacks are reported and the line is not mapped.</summary>
    public static void MapRetryOn(ProxyDraft draft, ConfigStatement statement)
    {
        if (!Capable(draft, statement, "retry-on", frontend: false))
        {
            return;
        }

        if (statement.Count < 2)
        {
            draft.Scope.Error(statement, 1, "'retry-on' expects at least one keyword");
            return;
        }

        for (var i = 1; i < statement.Count; i++)
        {
            if (!RetryOnWords.Contains(statement[i]))
            {
                draft.Scope.Report(statement, i, "retry-on", FindingSeverity.Unsupported,
                    $"unsupported: retry-on '{statement[i]}' is not in the Ballast model yet (it holds {string.Join(", ", RetryOnWords)}); the line is not imported");
                return;
            }
        }

        IReadOnlyList<string> words = statement.Words.Skip(1).Select(w => w.Text).ToArray();
        Set(draft, statement, draft.Settings.Traffic with { RetryOn = new(words, statement.Line, statement.ColumnOf(1)) }, $"retry-on {string.Join(' ', words)}");
    }

    /// <summary>Maps <c>[no] option redispatch|allbackups|forwardfor</c>.</summary>
    public static void MapOption(ProxyDraft draft, ConfigStatement statement, bool negated)
    {
        var at = negated ? 2 : 1;
        var name = statement[at];
        var keyword = $"option {name}";
        if (name != "forwardfor" && !Capable(draft, statement, keyword, frontend: false))
        {
            return; // forwardfor: frontends and backends both have it
        }

        var traffic = draft.Settings.Traffic;
        var line = statement.Line;
        var column = statement.ColumnOf(at);
        switch (name)
        {
            case "redispatch" when negated:
                if (Arguments.NoMoreThan(draft.Scope, statement, at, keyword))
                {
                    Set(draft, statement, traffic with { Redispatch = new(0, line, column) }, "no option redispatch");
                }

                break;
            case "redispatch":
                MapRedispatch(draft, statement, traffic);
                break;
            case "allbackups":
                if (Arguments.NoMoreThan(draft.Scope, statement, at, keyword))
                {
                    Set(draft, statement, traffic with { Allbackups = new(!negated, line, column) }, negated ? "no option allbackups" : keyword);
                }

                break;
            case "forwarded" when negated:
                if (Arguments.NoMoreThan(draft.Scope, statement, at, keyword))
                {
                    Set(draft, statement, traffic with { Forwarded = new(null, line, column) }, "no option forwarded");
                }

                break;
            case "forwarded":
                if (ProxyHeaderImport.TryMapForwarded(draft, statement, ref traffic))
                {
                    Set(draft, statement, traffic, "option forwarded (HAProxy 2.8)");
                }

                break;
            default:
                MapForwardfor(draft, statement, negated);
                break;
        }
    }

    /// <summary>Sets the backend fields of <paramref name="traffic"/> on <paramref name="backend"/>.</summary>
    public static void Apply(TrafficSettings traffic, Backend backend)
    {
        backend.TimeoutConnectMs = traffic.TimeoutConnectMs?.Value ?? 0;
        backend.TimeoutServerMs = traffic.TimeoutServerMs?.Value ?? 0;
        backend.TimeoutQueueMs = traffic.TimeoutQueueMs?.Value ?? 0;
        if (traffic.Retries is { } retries)
        {
            backend.Retries = retries.Value;
        }

        if (traffic.RetryOn is { } retryOn)
        {
            backend.RetryOn.AddRange(retryOn.Value);
        }

        if (traffic.Redispatch is { } redispatch)
        {
            backend.Redispatch = redispatch.Value;
        }

        backend.Allbackups = traffic.Allbackups?.Value == true;
        ProxyHeaderImport.ApplyBackend(traffic, backend);
        if (traffic.Forwardfor?.Value is { } forwardfor)
        {
            backend.Forwardfor = true;
            backend.ForwardforExcept = forwardfor.Except;
            backend.ForwardforHeader = forwardfor.Header;
        }
    }

    private static void MapRedispatch(ProxyDraft draft, ConfigStatement statement, TrafficSettings traffic)
    {
        var interval = -1;
        if (statement.Count > 2
            && (!int.TryParse(statement[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out interval) || interval == 0))
        {
            draft.Scope.Error(statement, 2, $"'option redispatch' expects a non-zero integer interval (got '{statement[2]}')");
            return;
        }

        if (Arguments.NoMoreThan(draft.Scope, statement, 2, "option redispatch"))
        {
            Set(draft, statement, traffic with { Redispatch = new(interval, statement.Line, statement.ColumnOf(1)) },
                $"option redispatch {interval.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    private static void MapForwardfor(ProxyDraft draft, ConfigStatement statement, bool negated)
    {
        var traffic = draft.Settings.Traffic;
        if (negated)
        {
            if (Arguments.NoMoreThan(draft.Scope, statement, 2, "no option forwardfor"))
            {
                Set(draft, statement, traffic with { Forwardfor = new(null, statement.Line, statement.ColumnOf(2)) }, "no option forwardfor");
            }

            return;
        }

        var except = string.Empty;
        var header = string.Empty;
        for (var i = 2; i < statement.Count; i++)
        {
            switch (statement[i])
            {
                case "except" or "header" when statement[i + 1].Length == 0:
                    draft.Scope.Error(statement, i + 1, $"'option forwardfor {statement[i]}' expects a value");
                    return;
                case "except":
                    except = statement[++i];
                    break;
                case "header":
                    header = statement[++i];
                    break;
                case "if-none":
                    draft.Scope.Report(statement, i, "option forwardfor if-none", FindingSeverity.Unsupported,
                        "unsupported: 'if-none' is not in the Ballast model yet (the header is always added)");
                    break;
                default:
                    draft.Scope.Error(statement, i, $"'option forwardfor' does not accept '{statement[i]}' (expected except, header or if-none)");
                    return;
            }
        }

        Set(draft, statement, traffic with { Forwardfor = new(new ForwardFor(except, header), statement.Line, statement.ColumnOf(1)) }, "option forwardfor");
    }

    private static bool Capable(ProxyDraft draft, ConfigStatement statement, string keyword, bool frontend)
    {
        if (frontend ? draft.Kind.HasFrontend() : draft.Kind.HasBackend())
        {
            return true;
        }

        var severity = keyword == "option forwardfor" ? FindingSeverity.Unsupported : FindingSeverity.Ignored;
        var reason = severity == FindingSeverity.Unsupported
            ? "unsupported: the Ballast model holds 'option forwardfor' per backend; set it on the backend"
            : Reasons.NoCapability(keyword, frontend ? "backend" : "frontend", frontend ? "frontend" : "backend");
        draft.Scope.Report(statement, severity, reason);
        return false;
    }

    private static void Set(ProxyDraft draft, ConfigStatement statement, TrafficSettings traffic, string what)
    {
        draft.Settings = draft.Settings with { Traffic = traffic };
        draft.Scope.Mapped(statement, draft.Kind == ProxyKind.Defaults ? $"defaults: {what} (inherited)" : $"{draft.Scope.Name}: {what}");
    }
}
