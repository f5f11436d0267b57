using Ballast.HaproxyConfig.Units;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// Builds a model <see cref="Backend"/> from a mapped backend or listen section. HAProxy sets <c>inter</c>,
/// <c>rise</c> and <c>fall</c> per server (manual, section 5.2) while the model has one set per backend: the first
/// server with <c>check</c> gives them (or the <c>default-server</c> when no server checks), and servers that differ
/// are reported. The check type is HTTP with <c>option httpchk</c>, TCP with <c>option tcp-check</c> (or another
/// check type, mapped down to a connect check) or when a server has <c>check</c>, none otherwise.
/// </summary>
internal static class BackendAssembler
{
    private const uint HaproxyInterMs = 2000;
    private const uint HaproxyRise = 2;
    private const uint HaproxyFall = 3;

    /// <summary>Builds the backend of <paramref name="draft"/>, reporting what the model cannot hold.</summary>
    public static Backend Build(ProxyDraft draft)
    {
        var settings = draft.Settings;
        var backend = new Backend
        {
            Name = draft.Name,
            Mode = settings.Mode?.Value ?? Mode.Tcp,
            HealthCheck = BuildHealthCheck(draft),
        };
        (settings.Balance?.Value ?? new BalanceSettings(Balance.Roundrobin)).Apply(backend);
        if (settings.Hash is { Value: var hash })
        {
            backend.HashType = hash.Type;
            backend.HashFunction = hash.Function;
            backend.HashAvalanche = hash.Avalanche;
        }

        TrafficMapper.Apply(draft.Settings.Traffic, backend);
        RuleMapper.Apply(draft, backend);
        foreach (var server in draft.Servers)
        {
            var options = server.Effective;
            var model = new Server
            {
                Name = server.Name,
                Address = server.Address,
                Port = server.Port,
                Maxconn = options.Maxconn?.Value ?? 0,
                State = options.Disabled?.Value == true ? ServerState.Maint : ServerState.Ready,
                Check = options.Check?.Value == true,
                Backup = options.Backup?.Value == true,
                SlowstartMs = options.SlowstartMs?.Value ?? 0,
                Maxqueue = options.Maxqueue?.Value ?? 0,
                CheckPort = options.CheckPort?.Value ?? 0,
                CheckAddr = options.CheckAddr?.Value ?? string.Empty,
                Cookie = options.Cookie?.Value ?? string.Empty,
            };
            if (options.Weight is { } weight)
            {
                model.Weight = weight.Value;
            }

            ServerTlsOptions.Apply(draft, server, model);
            ServerProxyProtocolOptions.Apply(options, model);
            ServerPassiveHealthOptions.Apply(options, model);

            backend.Servers.Add(model);
        }

        return backend;
    }

    private static HealthCheck BuildHealthCheck(ProxyDraft draft)
    {
        var check = draft.Settings.Check;
        var checkedServers = draft.Servers.Where(s => s.Effective.Check?.Value == true).ToArray();
        var http = check.Kind?.Value == CheckKind.Http;
        var health = new HealthCheck
        {
            Type = http ? HealthCheckType.HealthCheckHttp
                : check.Kind is not null || checkedServers.Length > 0 ? HealthCheckType.HealthCheckTcp
                : HealthCheckType.HealthCheckNone,
            TimeoutMs = check.TimeoutMs?.Value ?? 0,
        };
        if (http)
        {
            health.HttpMethod = check.Method?.Value ?? string.Empty;
            health.HttpPath = check.Path?.Value ?? string.Empty;
            health.ExpectStatus = check.ExpectStatus?.Value ?? 0;
            if (check.Expect is { } expect)
            {
                health.ExpectKind = expect.Value.Kind;
                health.ExpectValue = expect.Value.Value;
            }
        }
        else
        {
            ReportUnusedHttpRules(draft, check);
        }

        var reference = checkedServers.Length > 0 ? checkedServers[0].Effective : draft.Settings.DefaultServer;
        health.InterMs = reference.InterMs?.Value ?? 0;
        health.Rise = reference.Rise?.Value ?? 0;
        health.Fall = reference.Fall?.Value ?? 0;
        health.FastinterMs = reference.FastinterMs?.Value ?? 0;
        health.DowninterMs = reference.DowninterMs?.Value ?? 0;
        foreach (var server in checkedServers.Skip(1))
        {
            ReportTimingDifference(draft, server, checkedServers[0]);
        }

        return health;
    }

    private static void ReportTimingDifference(ProxyDraft draft, ServerDraft server, ServerDraft first)
    {
        Compare("inter", s => s.InterMs, HaproxyInterMs, TimeParser.Format);
        Compare("rise", s => s.Rise, HaproxyRise, Count);
        Compare("fall", s => s.Fall, HaproxyFall, Count);

        void Compare(string option, Func<ServerOptions, Sourced<uint>?> read, uint haproxyDefault, Func<uint, string> format)
        {
            var mine = read(server.Effective);
            var theirs = read(first.Effective);
            if ((mine?.Value ?? haproxyDefault) == (theirs?.Value ?? haproxyDefault))
            {
                return;
            }

            var word = mine is { } own && own.Line == server.Statement.Line
                ? server.Statement.Words.ToList().FindIndex(w => w.Column == own.Column)
                : 1;
            draft.Scope.Report(server.Statement, word, $"server {option}", FindingSeverity.Unsupported,
                $"{Reasons.PerServerTiming}: the backend uses {option} {Describe(theirs)} from server {first.Name}, this server has {Describe(mine)}");

            string Describe(Sourced<uint>? value) => value is { } v ? format(v.Value) : $"{format(haproxyDefault)} (default)";
        }
    }

    private static string Count(uint value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void ReportUnusedHttpRules(ProxyDraft draft, CheckSettings check)
    {
        Sourced<string>? request = check.Method ?? check.Path;
        foreach (var line in new[] { request?.Line, check.ExpectStatus?.Line ?? check.Expect?.Line })
        {
            if (line is { } l && draft.IsOwn(l))
            {
                var statement = draft.Scope.Section.Statements.First(s => s.Line == l);
                draft.Scope.Report(statement, FindingSeverity.Ignored,
                    $"ignored: backend '{draft.Name}' uses http-check rules without 'option httpchk', so HAProxy ignores them");
            }
        }
    }
}
