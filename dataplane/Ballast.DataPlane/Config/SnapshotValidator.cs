using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Config;

/// <summary>
/// The one place that decides whether this node can apply a configuration. Everything it accepts can be built
/// into a <see cref="RuntimeModel"/>; what it rejects is NACKed with the returned errors and the previous
/// configuration keeps serving. Bind failures (e.g. a port in use) are found later, when listeners open.
/// </summary>
internal static class SnapshotValidator
{
    /// <summary>Largest timeout accepted, in ms (HAProxy's timeouts are signed 32-bit milliseconds).</summary>
    public const uint MaxTimeoutMs = int.MaxValue;

    /// <summary>Largest <c>random(&lt;draws&gt;)</c> accepted (more draws only converge to leastconn, slower).</summary>
    public const uint MaxRandomDraws = 100;

    /// <summary>Validates <paramref name="config"/>.</summary>
    /// <param name="config">The snapshot's configuration.</param>
    /// <returns>Errors, HAProxy-style (<c>backend 'app': ...</c>); empty when the configuration can be applied.</returns>
    public static IReadOnlyList<string> Validate(V1.Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var errors = new List<string>();
        var backends = new Dictionary<string, V1.Backend>(StringComparer.Ordinal);
        foreach (var backend in config.Backends)
        {
            ValidateBackend(backend, errors);
            Rules.RuleCompiler.ValidateBackend(backend, errors);
            if (!backends.TryAdd(backend.Name, backend))
            {
                errors.Add($"backend '{backend.Name}': duplicate backend name");
            }
        }

        Tls.TlsValidator.Validate(config, errors);
        var frontendNames = new HashSet<string>(StringComparer.Ordinal);
        var binds = new Dictionary<BindEndpoint, string>();
        foreach (var frontend in config.Frontends)
        {
            var where = $"frontend '{frontend.Name}'";
            if (!IsValidName(frontend.Name))
            {
                errors.Add($"{where}: invalid name (expected 1-64 characters of [A-Za-z0-9_.:-])");
            }

            if (!frontendNames.Add(frontend.Name))
            {
                errors.Add($"{where}: duplicate frontend name");
            }

            if (!Enum.IsDefined(frontend.Mode))
            {
                errors.Add($"{where}: unknown mode {(int)frontend.Mode} (expected http or tcp)");
            }

            if (frontend.TimeoutClientMs > MaxTimeoutMs)
            {
                errors.Add($"{where}: timeout_client_ms {frontend.TimeoutClientMs} is out of range (0-{MaxTimeoutMs})");
            }

            foreach (var bind in frontend.Binds)
            {
                if (!BindEndpoint.TryParse(bind.Address, bind.Port, out var endpoint))
                {
                    errors.Add($"{where} bind {bind.Address}:{bind.Port}: invalid address or port (expected an IP literal or '*' and a port 1-65535)");
                }
                else if (!binds.TryAdd(endpoint, frontend.Name))
                {
                    errors.Add($"{where} bind {endpoint}: already used by frontend '{binds[endpoint]}'");
                }
            }

            if (frontend.DefaultBackend.Length > 0)
            {
                if (!backends.TryGetValue(frontend.DefaultBackend, out var target))
                {
                    errors.Add($"{where}: default_backend '{frontend.DefaultBackend}' does not exist");
                }
                else if (target.Mode != frontend.Mode)
                {
                    errors.Add($"{where}: default_backend '{frontend.DefaultBackend}' has mode {ModeName(target.Mode)}, frontend has mode {ModeName(frontend.Mode)}");
                }
            }

            ProxyHeaderOptionsValidator.ValidateFrontend(frontend, where, errors);
            Rules.RuleCompiler.ValidateFrontend(frontend, backends, errors);
            errors.AddRange(Logging.AccessLogSettings.Validate(frontend));
        }

        return errors;
    }

    private static void ValidateBackend(V1.Backend backend, List<string> errors)
    {
        var where = $"backend '{backend.Name}'";
        if (!IsValidName(backend.Name))
        {
            errors.Add($"{where}: invalid name (expected 1-64 characters of [A-Za-z0-9_.:-])");
        }

        if (!Enum.IsDefined(backend.Mode))
        {
            errors.Add($"{where}: unknown mode {(int)backend.Mode} (expected http or tcp)");
        }

        ValidateBalance(backend, where, errors);
        ServerOptionsValidator.Validate(backend, where, errors);
        ProxyHeaderOptionsValidator.ValidateBackend(backend, where, errors);
        if (backend.TimeoutConnectMs > MaxTimeoutMs)
        {
            errors.Add($"{where}: timeout_connect_ms {backend.TimeoutConnectMs} is out of range (0-{MaxTimeoutMs})");
        }

        if (backend.TimeoutServerMs > MaxTimeoutMs)
        {
            errors.Add($"{where}: timeout_server_ms {backend.TimeoutServerMs} is out of range (0-{MaxTimeoutMs})");
        }

        var check = backend.HealthCheck;
        if (check is not null)
        {
            if (!Enum.IsDefined(check.Type))
            {
                errors.Add($"{where}: unknown health check type {(int)check.Type}");
            }

            if (check.HttpMethod.Length > 0 && !IsToken(check.HttpMethod))
            {
                errors.Add($"{where}: invalid health check method '{check.HttpMethod}'");
            }

            if (check.HttpPath.Length > 0 && (check.HttpPath[0] != '/' || ContainsControlOrSpace(check.HttpPath)))
            {
                errors.Add($"{where}: invalid health check path '{check.HttpPath}' (must start with '/' and contain no spaces)");
            }

            if (check.ExpectStatus != 0 && check.ExpectStatus is < 100 or > 599)
            {
                errors.Add($"{where}: health check expect_status {check.ExpectStatus} is not an HTTP status (100-599, or 0 for 2xx/3xx)");
            }
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var ids = new Dictionary<uint, string>();
        foreach (var server in backend.Servers)
        {
            var at = $"{where} server '{server.Name}'";
            if (server.Id > int.MaxValue)
            {
                errors.Add($"{at}: id {server.Id} is out of range (1-{int.MaxValue}, or 0 for automatic)");
            }
            else if (server.Id > 0 && !ids.TryAdd(server.Id, server.Name))
            {
                errors.Add($"{at}: id {server.Id} is already used by server '{ids[server.Id]}'");
            }

            if (!IsValidName(server.Name))
            {
                errors.Add($"{at}: invalid name (expected 1-64 characters of [A-Za-z0-9_.:-])");
            }

            if (!names.Add(server.Name))
            {
                errors.Add($"{at}: duplicate server name");
            }

            if (server.Address.Length == 0 || ContainsControlOrSpace(server.Address) || server.Address.Contains('/'))
            {
                errors.Add($"{at}: invalid address '{server.Address}'");
            }

            if (server.Port is 0 or > 65535)
            {
                errors.Add($"{at}: invalid port {server.Port} (expected 1-65535)");
            }

            if (server.HasWeight && server.Weight > HaproxyDefaults.MaxWeight)
            {
                errors.Add($"{at}: weight {server.Weight} is out of range (0-{HaproxyDefaults.MaxWeight})");
            }

            if (server.Maxconn > int.MaxValue)
            {
                errors.Add($"{at}: maxconn {server.Maxconn} is out of range");
            }

            if (!Enum.IsDefined(server.State))
            {
                errors.Add($"{at}: unknown state {(int)server.State}");
            }
        }
    }

    private static void ValidateBalance(V1.Backend backend, string where, List<string> errors)
    {
        var balance = backend.Balance;
        if (!Enum.IsDefined(balance))
        {
            errors.Add($"{where}: balance {BalanceName(balance)} is not supported by this node (supported: roundrobin, static-rr, leastconn, first, source, uri, url_param, hdr, random)");
            return;
        }

        if (!Enum.IsDefined(backend.HashType))
        {
            errors.Add($"{where}: unknown hash_type {(int)backend.HashType} (expected map-based or consistent)");
        }

        if (!Enum.IsDefined(backend.HashFunction))
        {
            errors.Add($"{where}: unknown hash_function {(int)backend.HashFunction} (expected sdbm, djb2, wt6, crc32 or none)");
        }

        var name = BalanceName(balance);
        if (balance is V1.Balance.Uri or V1.Balance.UrlParam or V1.Balance.Hdr && backend.Mode == V1.Mode.Tcp)
        {
            errors.Add($"{where}: balance {name} needs mode http (HAProxy: \"Layer 7 hash not possible\" in mode tcp)");
        }

        if (balance is V1.Balance.UrlParam or V1.Balance.Hdr)
        {
            if (backend.BalanceParam.Length == 0)
            {
                errors.Add($"{where}: balance {name} needs balance_param (the {(balance == V1.Balance.Hdr ? "header" : "query parameter")} name)");
            }
            else if (balance == V1.Balance.Hdr ? !IsToken(backend.BalanceParam) : !IsQueryName(backend.BalanceParam))
            {
                errors.Add($"{where}: invalid balance_param '{backend.BalanceParam}' for balance {name}");
            }
        }
        else if (backend.BalanceParam.Length > 0)
        {
            errors.Add($"{where}: balance_param applies only to balance url_param and hdr (balance is {name})");
        }

        if (balance != V1.Balance.Uri)
        {
            if (backend.UriLen != 0 || backend.UriDepth != 0 || backend.UriPathOnly || backend.UriWhole)
            {
                errors.Add($"{where}: uri_len, uri_depth, uri_path_only and uri_whole apply only to balance uri (balance is {name})");
            }
        }
        else if (backend.UriLen > int.MaxValue || backend.UriDepth > int.MaxValue - 1)
        {
            errors.Add($"{where}: uri_len or uri_depth is out of range");
        }

        if (backend.HdrUseDomainOnly && balance != V1.Balance.Hdr)
        {
            errors.Add($"{where}: hdr_use_domain_only applies only to balance hdr (balance is {name})");
        }

        if (backend.RandomDraws != 0 && balance != V1.Balance.Random)
        {
            errors.Add($"{where}: random_draws applies only to balance random (balance is {name})");
        }
        else if (backend.RandomDraws > MaxRandomDraws)
        {
            errors.Add($"{where}: random_draws {backend.RandomDraws} is out of range (1-{MaxRandomDraws}, or 0 for 2)");
        }
    }

    /// <summary>Whether <paramref name="name"/> is 1-64 characters of <c>[A-Za-z0-9_.:-]</c>.</summary>
    /// <param name="name">A frontend, backend or server name.</param>
    public static bool IsValidName(string name)
    {
        if (name.Length is 0 or > 64)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or ':' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsToken(string value)
    {
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsQueryName(string value)
    {
        foreach (var c in value)
        {
            if (c <= ' ' || c >= '\u007f' || c is '&' or '=' or '?' or '#')
            {
                return false;
            }
        }

        return true;
    }

    private static bool ContainsControlOrSpace(string value)
    {
        foreach (var c in value)
        {
            if (c <= ' ' || c == '\u007f')
            {
                return true;
            }
        }

        return false;
    }

    private static string ModeName(V1.Mode mode) => mode switch
    {
        V1.Mode.Http => "http",
        V1.Mode.Tcp => "tcp",
        _ => ((int)mode).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string BalanceName(V1.Balance balance) => balance switch
    {
        V1.Balance.Roundrobin => "roundrobin",
        V1.Balance.StaticRr => "static-rr",
        V1.Balance.Leastconn => "leastconn",
        V1.Balance.First => "first",
        V1.Balance.Source => "source",
        V1.Balance.Uri => "uri",
        V1.Balance.UrlParam => "url_param",
        V1.Balance.Hdr => "hdr",
        V1.Balance.Random => "random",
        _ => ((int)balance).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
