using System.Globalization;
using Ballast.HaproxyConfig.Syntax;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// Maps <c>bind &lt;address&gt;[,&lt;address&gt;...] [options]</c> (manual, section 4.2 "bind" and 5.1 "Bind options"):
/// each address of the comma-separated list becomes a model bind (<c>:80</c> and <c>*:80</c> mean all addresses,
/// written <c>*</c>, or <c>::</c> after <c>ipv6@</c>); a port range becomes one bind per port, up to 16 ports. The TLS and
/// PROXY options (<c>ssl</c>, <c>crt</c>, <c>alpn</c>, <c>ssl-min-ver</c>, <c>accept-proxy</c>) are read by
/// <see cref="BindTlsMapper"/> and apply to every address of the line; other options are reported one by one.
/// </summary>
internal static class BindMapper
{
    private const int MaxRangePorts = 16;

    /// <summary>Maps <paramref name="statement"/> into <paramref name="draft"/>.</summary>
    public static void Map(ProxyDraft draft, ConfigStatement statement)
    {
        var scope = draft.Scope;
        if (!draft.Kind.HasFrontend() || draft.Kind == ProxyKind.Defaults)
        {
            scope.Error(statement, 0, $"'bind' is not allowed in a {scope.Section.Type} section");
            return;
        }

        if (statement.Count < 2)
        {
            scope.Error(statement, 1, "'bind' expects an address");
            return;
        }

        var mapped = new List<Bind>();
        foreach (var part in statement[1].Split(','))
        {
            MapAddress(scope, statement, part, mapped);
        }

        var options = BindTlsMapper.Read(scope, statement);
        foreach (var bind in mapped)
        {
            bind.MergeFrom(options);
        }

        if (mapped.Count > 0)
        {
            draft.Binds.AddRange(mapped);
            scope.Mapped(statement, $"frontend {draft.Name}: bind {string.Join(", ", mapped.Select(Format))}");
        }
    }

    private static void MapAddress(SectionScope scope, ConfigStatement statement, string text, List<Bind> binds)
    {
        if (!EndpointText.TryParse(text, out var endpoint, out var problem))
        {
            scope.Report(statement, 1, "bind", problem.Severity, problem.Reason);
            return;
        }

        var host = endpoint.Host is "" or "*" ? (endpoint.Ipv6 ? "::" : "*") : endpoint.Host;
        if (host != "*" && !EndpointText.IsIpLiteral(host))
        {
            scope.Report(statement, 1, "bind", FindingSeverity.Unsupported,
                $"unsupported: host name '{host}' in a bind address (HAProxy resolves it at start-up); the Ballast model needs an IP address");
            return;
        }

        if (!TryPortRange(endpoint.Port, out var low, out var high))
        {
            scope.Error(statement, 1, $"invalid port in '{text}': expected <port> or <port>-<port> within 1-65535");
            return;
        }

        if (high - low + 1 > MaxRangePorts)
        {
            scope.Report(statement, 1, "bind", FindingSeverity.Unsupported, $"{Reasons.PortRange} ({text} has {high - low + 1} ports)");
            return;
        }

        for (var port = low; port <= high; port++)
        {
            binds.Add(new Bind { Address = host, Port = port });
        }
    }

    private static bool TryPortRange(string? text, out uint low, out uint high)
    {
        low = high = 0;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var dash = text.IndexOf('-');
        var ok = dash < 0
            ? TryPort(text, out low)
            : TryPort(text[..dash], out low) && TryPort(text[(dash + 1)..], out high);
        if (dash < 0)
        {
            high = low;
        }

        return ok && low <= high;
    }

    private static bool TryPort(string text, out uint port) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;

    /// <summary>Formats a bind as HAProxy writes it: <c>*:80</c>, <c>10.0.0.1:443</c>, <c>[::1]:8080</c>.</summary>
    public static string Format(Bind bind) =>
        bind.Address.Contains(':') ? $"[{bind.Address}]:{bind.Port}" : $"{bind.Address}:{bind.Port}";
}
