using System.Globalization;
using System.Text;
using Ballast.HaproxyConfig.Units;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Export;

/// <summary>
/// Writes a Ballast configuration as a haproxy.cfg for HAProxy 2.6 that <c>haproxy -c</c> accepts and that
/// <see cref="Import.HaproxyImporter"/> reads back to the same model (manual, sections 3 and 4).
/// </summary>
/// <remarks>
/// Layout: a <c>global</c> section, a <c>defaults</c> section with <c>mode http</c> and the connect/client/server
/// timeouts the model means by 0 (5s, 50s, 50s; the importer stores those values as 0), then each frontend and each
/// backend with its mode, timeouts, options and rules (<see cref="RulesExport"/>) written out.
/// Health checks: HTTP as <c>option httpchk</c> plus <c>http-check send meth/uri</c> and <c>http-check expect
/// status</c>; TCP as <c>option tcp-check</c>; <c>inter</c>/<c>rise</c>/<c>fall</c> on the backend's
/// <c>default-server</c>; <c>timeout check</c>. Server state maint is <c>disabled</c>. HAProxy has no configuration
/// keyword for the drain state: a draining server is written with <c>weight 0</c> (no new balanced traffic, as
/// HAProxy's runtime drain) and a comment, so it reads back as a ready server of weight 0 — the one lossy case.
/// <c>balance</c> is written with its arguments and, off HAProxy's default, a <c>hash-type</c> line. Fields that do not apply to the check type (an HTTP path on a
/// TCP check) are not written. The model is assumed valid (as the control plane's validator ensures).
/// </remarks>
public static class HaproxyExporter
{
    private const string Indent = "    ";

    /// <summary>Returns the haproxy.cfg text for <paramref name="config"/>, certificates under <c>/etc/haproxy/certs</c>.</summary>
    public static string Export(Config config) => Export(config, HaproxyExportOptions.Default);

    /// <summary>Returns the haproxy.cfg text for <paramref name="config"/> with <paramref name="options"/> (certificate directory).</summary>
    public static string Export(Config config, HaproxyExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        var text = new StringBuilder();
        text.AppendLine("# haproxy.cfg exported by Ballast from its configuration model (ballast.v1), for HAProxy 2.6.")
            .AppendLine()
            .AppendLine("global")
            .AppendLine($"{Indent}# process settings (threads, logging, stats socket) are not part of the Ballast model")
            .AppendLine()
            .AppendLine("defaults")
            .AppendLine($"{Indent}mode http")
            .AppendLine($"{Indent}timeout connect 5s")
            .AppendLine($"{Indent}timeout client 50s")
            .AppendLine($"{Indent}timeout server 50s");
        foreach (var frontend in config.Frontends)
        {
            WriteFrontend(text, frontend, options);
        }

        foreach (var backend in config.Backends)
        {
            WriteBackend(text, backend, options);
        }

        return text.ToString().ReplaceLineEndings("\n");
    }

    private static void WriteFrontend(StringBuilder text, Frontend frontend, HaproxyExportOptions options)
    {
        text.AppendLine().AppendLine($"frontend {HaproxyQuoting.Quote(frontend.Name)}");
        Line(text, "mode", ModeWord(frontend.Mode));
        foreach (var bind in frontend.Binds)
        {
            Line(text, "bind", string.Join(' ', TlsExport.BindWords(bind, options).Prepend(Endpoint(bind.Address.Length == 0 ? "*" : bind.Address, bind.Port))));
        }

        if (frontend.Maxconn > 0)
        {
            Line(text, "maxconn", Number(frontend.Maxconn));
        }

        RulesExport.Write(text, frontend, Indent);
        ProxyHeaderExport.Write(text, frontend, Indent);
        if (frontend.DefaultBackend.Length > 0)
        {
            Line(text, "default_backend", HaproxyQuoting.Quote(frontend.DefaultBackend));
        }

        LogExport.Write(text, frontend, Indent);
    }

    private static void WriteBackend(StringBuilder text, Backend backend, HaproxyExportOptions options)
    {
        text.AppendLine().AppendLine($"backend {HaproxyQuoting.Quote(backend.Name)}");
        Line(text, "mode", ModeWord(backend.Mode));
        WriteBalance(text, backend);
        var health = backend.HealthCheck ?? new HealthCheck();
        WriteHealthCheck(text, health);
        BackendOptionsExport.Write(text, backend, Indent);
        ProxyHeaderExport.Write(text, backend, Indent);
        RulesExport.Write(text, backend, Indent);
        var checks = health.Type != HealthCheckType.HealthCheckNone;
        foreach (var server in backend.Servers)
        {
            WriteServer(text, server, checks, options);
        }
    }

    private static void WriteBalance(StringBuilder text, Backend backend)
    {
        var words = new List<string>();
        switch (backend.Balance)
        {
            case Balance.StaticRr:
                words.Add("static-rr");
                break;
            case Balance.Leastconn:
                words.Add("leastconn");
                break;
            case Balance.First:
                words.Add("first");
                break;
            case Balance.Source:
                words.Add("source");
                break;
            case Balance.Uri:
                words.Add("uri");
                if (backend.UriLen > 0)
                {
                    words.AddRange(["len", Number(backend.UriLen)]);
                }

                if (backend.UriDepth > 0)
                {
                    words.AddRange(["depth", Number(backend.UriDepth)]);
                }

                if (backend.UriPathOnly)
                {
                    words.Add("path-only");
                }

                if (backend.UriWhole)
                {
                    words.Add("whole");
                }

                break;
            case Balance.UrlParam:
                words.AddRange(["url_param", HaproxyQuoting.Quote(backend.BalanceParam)]);
                break;
            case Balance.Hdr:
                words.Add(HaproxyQuoting.Quote($"hdr({backend.BalanceParam})"));
                if (backend.HdrUseDomainOnly)
                {
                    words.Add("use_domain_only");
                }

                break;
            case Balance.Random:
                words.Add(backend.RandomDraws > 0 ? $"random({Number(backend.RandomDraws)})" : "random");
                break;
            default:
                words.Add("roundrobin");
                break;
        }

        Line(text, "balance", string.Join(' ', words));
        WriteHashType(text, backend);
    }

    /// <summary>
    /// Writes <c>hash-type</c> when the backend is not on HAProxy's default (map-based, sdbm, no avalanche). HAProxy
    /// only accepts the modifier after a function, so the default function with avalanche is written as sdbm.
    /// </summary>
    private static void WriteHashType(StringBuilder text, Backend backend)
    {
        if (backend.HashType == HashType.MapBased && backend.HashFunction == HashFunction.Default && !backend.HashAvalanche)
        {
            return;
        }

        var words = new List<string> { backend.HashType == HashType.Consistent ? "consistent" : "map-based" };
        var function = backend.HashFunction switch
        {
            HashFunction.Sdbm => "sdbm",
            HashFunction.Djb2 => "djb2",
            HashFunction.Wt6 => "wt6",
            HashFunction.Crc32 => "crc32",
            HashFunction.None => "none",
            _ => backend.HashAvalanche ? "sdbm" : null,
        };
        if (function is not null)
        {
            words.Add(function);
            if (backend.HashAvalanche)
            {
                words.Add("avalanche");
            }
        }

        Line(text, "hash-type", string.Join(' ', words));
    }

    private static void WriteHealthCheck(StringBuilder text, HealthCheck health)
    {
        if (health.Type == HealthCheckType.HealthCheckHttp)
        {
            Line(text, "option", "httpchk");
            var send = new List<string>();
            if (health.HttpMethod.Length > 0)
            {
                send.AddRange(["meth", HaproxyQuoting.Quote(health.HttpMethod)]);
            }

            if (health.HttpPath.Length > 0)
            {
                send.AddRange(["uri", HaproxyQuoting.Quote(health.HttpPath)]);
            }

            if (send.Count > 0)
            {
                Line(text, "http-check send", string.Join(' ', send));
            }

            if (health.ExpectKind != HttpCheckExpect.Default)
            {
                Line(text, "http-check expect", BackendOptionsExport.Expect(health));
            }
            else if (health.ExpectStatus > 0)
            {
                Line(text, "http-check expect status", Number(health.ExpectStatus));
            }
        }
        else if (health.Type == HealthCheckType.HealthCheckTcp)
        {
            Line(text, "option", "tcp-check");
        }

        if (health.TimeoutMs > 0)
        {
            Line(text, "timeout check", TimeParser.Format(health.TimeoutMs));
        }

        var timing = new List<string>();
        if (health.InterMs > 0)
        {
            timing.AddRange(["inter", TimeParser.Format(health.InterMs)]);
        }

        if (health.Rise > 0)
        {
            timing.AddRange(["rise", Number(health.Rise)]);
        }

        if (health.Fall > 0)
        {
            timing.AddRange(["fall", Number(health.Fall)]);
        }

        BackendOptionsExport.AddCheckIntervals(timing, health);

        if (timing.Count > 0)
        {
            Line(text, "default-server", string.Join(' ', timing));
        }
    }

    private static void WriteServer(StringBuilder text, Server server, bool checks, HaproxyExportOptions options)
    {
        var words = new List<string> { HaproxyQuoting.Quote(server.Name), Endpoint(server.Address, server.Port) };
        if (checks && server.Check)
        {
            words.Add("check");
        }

        if (server.State == ServerState.Drain)
        {
            var weight = server.HasWeight ? Number(server.Weight) : "1 (default)";
            text.AppendLine($"{Indent}# server {server.Name} is draining in Ballast (weight {weight}); HAProxy has no drain keyword, weight 0 stops new balanced traffic");
            words.AddRange(["weight", "0"]);
        }
        else if (server.HasWeight)
        {
            words.AddRange(["weight", Number(server.Weight)]);
        }

        if (server.Maxconn > 0)
        {
            words.AddRange(["maxconn", Number(server.Maxconn)]);
        }

        if (server.State == ServerState.Maint)
        {
            words.Add("disabled");
        }

        BackendOptionsExport.AddServerOptions(words, server);
        RulesExport.AddServerCookie(words, server);
        TlsExport.AddServerOptions(words, server, options);
        ProxyHeaderExport.AddServerOptions(words, server);

        Line(text, "server", string.Join(' ', words));
    }

    private static string Endpoint(string address, uint port) =>
        address.Contains(':') ? $"[{address}]:{Number(port)}" : $"{HaproxyQuoting.Quote(address)}:{Number(port)}";

    private static string ModeWord(Mode mode) => mode == Mode.Tcp ? "tcp" : "http";

    private static string Number(uint value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Line(StringBuilder text, string keyword, string arguments) =>
        text.Append(Indent).Append(keyword).Append(' ').AppendLine(arguments);
}
