using System.Globalization;
using System.Text;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Infrastructure;

/// <summary>Writes the HAProxy configuration equivalent to ballast.v1 frontends/backends (mode, balance, hash-type, servers).</summary>
public static class HaproxyConfigText
{
    /// <summary>One HAProxy process: a single thread (deterministic round robin), one frontend per (port, backend).</summary>
    public static string Build(IEnumerable<(int Port, V1.Backend Backend)> sections, V1.Mode mode = V1.Mode.Http, string? statsSocket = null)
    {
        var text = new StringBuilder();
        text.AppendLine("global");
        if (statsSocket is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  stats socket {statsSocket} level admin");
        }

        text.AppendLine("  nbthread 1");
        text.AppendLine("  maxconn 1000");
        text.AppendLine("defaults");
        text.AppendLine(mode == V1.Mode.Tcp ? "  mode tcp" : "  mode http");
        text.AppendLine("  timeout connect 5s");
        text.AppendLine("  timeout client 30s");
        text.AppendLine("  timeout server 30s");
        foreach (var (port, backend) in sections)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"frontend f_{backend.Name}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  bind 127.0.0.1:{port}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  default_backend {backend.Name}");
            text.AppendLine(CultureInfo.InvariantCulture, $"backend {backend.Name}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  balance {Balance(backend)}");
            if (backend.Allbackups)
            {
                text.AppendLine("  option allbackups");
            }

            if (HashType(backend) is { } hashType)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  hash-type {hashType}");
            }

            foreach (var server in backend.Servers)
            {
                text.Append(CultureInfo.InvariantCulture, $"  server {server.Name} {server.Address}:{server.Port}");
                if (server.HasWeight)
                {
                    text.Append(CultureInfo.InvariantCulture, $" weight {server.Weight}");
                }

                if (server.Id > 0)
                {
                    text.Append(CultureInfo.InvariantCulture, $" id {server.Id}");
                }

                if (server.State == V1.ServerState.Maint)
                {
                    text.Append(" disabled");
                }

                if (server.Maxconn > 0)
                {
                    text.Append(CultureInfo.InvariantCulture, $" maxconn {server.Maxconn}");
                }

                if (server.Backup)
                {
                    text.Append(" backup");
                }

                text.AppendLine();
            }
        }

        return text.ToString();
    }

    public static string Balance(V1.Backend backend) => backend.Balance switch
    {
        V1.Balance.Roundrobin => "roundrobin",
        V1.Balance.StaticRr => "static-rr",
        V1.Balance.Leastconn => "leastconn",
        V1.Balance.First => "first",
        V1.Balance.Source => "source",
        V1.Balance.Uri => "uri" + (backend.UriLen > 0 ? $" len {backend.UriLen}" : "") + (backend.UriDepth > 0 ? $" depth {backend.UriDepth}" : "")
            + (backend.UriWhole ? " whole" : "") + (backend.UriPathOnly ? " path-only" : ""),
        V1.Balance.UrlParam => $"url_param {backend.BalanceParam}",
        V1.Balance.Hdr => $"hdr({backend.BalanceParam})" + (backend.HdrUseDomainOnly ? " use_domain_only" : ""),
        V1.Balance.Random => backend.RandomDraws > 0 ? $"random({backend.RandomDraws})" : "random",
        _ => throw new ArgumentOutOfRangeException(nameof(backend)),
    };

    /// <summary>The <c>hash-type</c> line, or null for HAProxy's default (map-based sdbm).</summary>
    public static string? HashType(V1.Backend backend)
    {
        var method = backend.HashType == V1.HashType.Consistent ? "consistent" : "map-based";
        if (backend.HashFunction == V1.HashFunction.Default)
        {
            if (backend.HashAvalanche)
            {
                return $"{method} sdbm avalanche";
            }

            return backend.HashType == V1.HashType.Consistent ? "consistent" : null;
        }

        var function = backend.HashFunction switch
        {
            V1.HashFunction.Sdbm => "sdbm",
            V1.HashFunction.Djb2 => "djb2",
            V1.HashFunction.Wt6 => "wt6",
            V1.HashFunction.Crc32 => "crc32",
            V1.HashFunction.None => "none",
            _ => throw new ArgumentOutOfRangeException(nameof(backend)),
        };
        return $"{method} {function}" + (backend.HashAvalanche ? " avalanche" : "");
    }
}
