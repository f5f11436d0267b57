using System.Text.RegularExpressions;
using Ballast.ControlPlane.Model;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Validation;

/// <summary>
/// Validates ballast.v1 configuration. <see cref="ValidateConfig"/> is the full check run before every publish;
/// the per-object methods are the field rules also run on each admin edit. Every error names the object and the
/// field in admin API terms.
/// </summary>
internal static partial class ConfigValidator
{
    /// <summary>Longest accepted name.</summary>
    public const int MaxNameLength = 64;

    /// <summary>Largest server weight (HAProxy: 0-256).</summary>
    public const uint MaxWeight = 256;

    /// <summary>Largest maxconn nodes accept (a signed 32-bit count).</summary>
    public const uint MaxMaxconn = int.MaxValue;

    /// <summary>Largest timeout in ms (HAProxy's timeouts are signed 32-bit milliseconds, about 24.8 days).</summary>
    public const uint MaxTimeoutMs = int.MaxValue;

    /// <summary>Largest <c>random(&lt;draws&gt;)</c> nodes accept.</summary>
    public const uint MaxRandomDraws = 100;

    /// <summary>Largest server id (HAProxy ids are positive 32-bit integers).</summary>
    public const uint MaxServerId = int.MaxValue;

    /// <summary>Validates a whole configuration: field rules, uniqueness, references and node support.</summary>
    public static IReadOnlyList<ValidationError> ValidateConfig(Config config)
    {
        var errors = new List<ValidationError>();
        var backends = new Dictionary<string, Backend>(StringComparer.Ordinal);
        for (var i = 0; i < config.Backends.Count; i++)
        {
            var backend = config.Backends[i];
            var obj = BackendObject(backend, i);
            ValidateBackend(backend, obj, errors);
            ValidateNodeSupport(backend.Mode, obj, errors);
            if (!NodeSupport.SupportedBalances.Contains(backend.Balance))
            {
                errors.Add(new(obj, "balance", NodeSupport.NotSupported(backend.Balance)));
            }

            if (backend.Name.Length > 0 && !backends.TryAdd(backend.Name, backend))
            {
                errors.Add(new(obj, "name", "is used by more than one backend"));
            }
        }

        var frontendNames = new HashSet<string>(StringComparer.Ordinal);
        var binds = new List<(Bind Bind, string Frontend)>();
        for (var i = 0; i < config.Frontends.Count; i++)
        {
            var frontend = config.Frontends[i];
            var obj = FrontendObject(frontend, i);
            ValidateFrontend(frontend, obj, errors);
            ValidateNodeSupport(frontend.Mode, obj, errors);
            if (frontend.Name.Length > 0 && !frontendNames.Add(frontend.Name))
            {
                errors.Add(new(obj, "name", "is used by more than one frontend"));
            }

            Layer7Rules.ValidateReferences(frontend, backends, obj, errors);
            if (frontend.DefaultBackend.Length == 0)
            {
                if (frontend.UseBackends.Count == 0)
                {
                    errors.Add(new(obj, "defaultBackend", "must name a backend when there are no useBackends rules"));
                }
            }
            else if (!backends.TryGetValue(frontend.DefaultBackend, out var target))
            {
                errors.Add(new(obj, "defaultBackend", $"backend '{frontend.DefaultBackend}' does not exist"));
            }
            else if (target.Mode != frontend.Mode)
            {
                errors.Add(new(obj, "defaultBackend",
                    $"backend '{target.Name}' is mode {HaproxyWords.ToWord(target.Mode)} but the frontend is mode {HaproxyWords.ToWord(frontend.Mode)}"));
            }

            for (var b = 0; b < frontend.Binds.Count; b++)
            {
                var bind = frontend.Binds[b];
                var clash = binds.FirstOrDefault(x => BindAddress.Overlaps(x.Bind, bind));
                if (clash.Bind is not null)
                {
                    var where = clash.Frontend == frontend.Name ? "another bind of this frontend" : ObjectNames.Frontend(clash.Frontend);
                    errors.Add(new(obj, $"binds[{b}]", $"'{BindAddress.Endpoint(bind)}' overlaps '{BindAddress.Endpoint(clash.Bind)}' of {where}"));
                }

                binds.Add((bind, frontend.Name));
            }
        }

        CertificateReferences.Validate(config, errors);
        ServerTlsNodeSupport.Validate(config, errors);
        return errors;
    }

    /// <summary>Field rules of a frontend (no references to other objects).</summary>
    public static void ValidateFrontend(Frontend frontend, string obj, List<ValidationError> errors)
    {
        ValidateName(frontend.Name, obj, "name", errors);
        if (frontend.Binds.Count == 0)
        {
            errors.Add(new(obj, "binds", "must have at least one bind, e.g. \"127.0.0.1:8080\""));
        }

        for (var i = 0; i < frontend.Binds.Count; i++)
        {
            var bind = frontend.Binds[i];
            if (bind.Port is 0 or > 65535)
            {
                errors.Add(new(obj, $"binds[{i}]", $"port must be 1-65535 (got {bind.Port})"));
            }

            if (!BindAddress.IsWildcard(bind.Address) && !System.Net.IPAddress.TryParse(bind.Address, out _))
            {
                errors.Add(new(obj, $"binds[{i}]", $"address must be an IP literal or '*' (got '{bind.Address}')"));
            }

            BindRules.Validate(frontend, i, obj, errors);
        }

        if (frontend.DefaultBackend.Length > 0)
        {
            ValidateName(frontend.DefaultBackend, obj, "defaultBackend", errors);
        }

        ValidateMaxconn(frontend.Maxconn, obj, errors);
        ValidateTimeout(frontend.TimeoutClientMs, "timeoutClientMs", "50000", obj, errors);
        Layer7Rules.ValidateFrontend(frontend, obj, errors);
        AccessLogRules.ValidateFrontend(frontend, obj, errors);
        ProxyHeaderRules.ValidateFrontend(frontend, obj, errors);
    }

    /// <summary>
    /// Field rules of a backend, its balance and hash settings, its health check and its servers (names and ids unique
    /// within it).
    /// </summary>
    public static void ValidateBackend(Backend backend, string obj, List<ValidationError> errors)
    {
        ValidateName(backend.Name, obj, "name", errors);
        ValidateBalance(backend, obj, errors);
        ValidateTimeout(backend.TimeoutConnectMs, "timeoutConnectMs", "5000", obj, errors);
        ValidateTimeout(backend.TimeoutServerMs, "timeoutServerMs", "50000", obj, errors);
        ValidateHealthCheck(backend.HealthCheck ?? new HealthCheck(), obj, errors);
        DataPlaneOptionRules.ValidateBackend(backend, obj, errors);
        ProxyHeaderRules.ValidateBackend(backend, obj, errors);
        Layer7Rules.ValidateBackend(backend, obj, errors);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var ids = new Dictionary<uint, string>();
        for (var i = 0; i < backend.Servers.Count; i++)
        {
            var server = backend.Servers[i];
            var serverObj = ServerObject(backend.Name, server, i);
            ValidateServer(server, serverObj, errors);
            PassiveHealthRules.ValidateInBackend(backend, server, serverObj, errors);
            if (server.Name.Length > 0 && !names.Add(server.Name))
            {
                errors.Add(new(serverObj, "name", "is used by more than one server of this backend"));
            }

            if (server.Id is > 0 and <= MaxServerId && !ids.TryAdd(server.Id, server.Name))
            {
                errors.Add(new(serverObj, "id", $"{server.Id} is already the id of server '{ids[server.Id]}'"));
            }
        }
    }

    /// <summary>
    /// Rules of the balance algorithm's options and of <c>hash-type</c>, as HAProxy's <c>balance</c> keyword parses
    /// them: <c>url_param</c> and <c>hdr</c> need a name, each option belongs to one algorithm, and the layer 7
    /// algorithms need mode http.
    /// </summary>
    public static void ValidateBalance(Backend backend, string obj, List<ValidationError> errors)
    {
        var balance = backend.Balance;
        if (!Enum.IsDefined(balance))
        {
            errors.Add(new(obj, "balance", $"unknown algorithm {(int)balance}"));
            return;
        }

        var word = HaproxyWords.ToWord(balance);
        if (!Enum.IsDefined(backend.HashType))
        {
            errors.Add(new(obj, "hashType", $"unknown hash type {(int)backend.HashType}"));
        }

        if (!Enum.IsDefined(backend.HashFunction))
        {
            errors.Add(new(obj, "hashFunction", $"unknown hash function {(int)backend.HashFunction}"));
        }

        if (balance is Balance.Uri or Balance.UrlParam or Balance.Hdr && backend.Mode == Mode.Tcp)
        {
            errors.Add(new(obj, "balance", $"'{word}' hashes HTTP requests and needs mode http (the backend is mode tcp)"));
        }

        var param = backend.BalanceParam;
        if (balance == Balance.UrlParam)
        {
            if (param.Length == 0)
            {
                errors.Add(new(obj, "balanceParam", "must name the query parameter to hash for balance url_param, e.g. \"userid\""));
            }
            else if (param.Any(c => c <= ' ' || c >= 0x7f || c is '&' or '=' or '?' or '#'))
            {
                errors.Add(new(obj, "balanceParam", $"must be a query parameter name without spaces, '&', '=', '?' or '#' (got '{param}')"));
            }
        }
        else if (balance == Balance.Hdr)
        {
            if (param.Length == 0)
            {
                errors.Add(new(obj, "balanceParam", "must name the header to hash for balance hdr, e.g. \"host\""));
            }
            else if (!TokenRegex().IsMatch(param))
            {
                errors.Add(new(obj, "balanceParam", $"must be a header name token (got '{param}')"));
            }
        }
        else if (param.Length > 0)
        {
            errors.Add(new(obj, "balanceParam", $"applies only to balance url_param and hdr (balance is '{word}')"));
        }

        if (balance != Balance.Uri)
        {
            OnlyFor(backend.UriLen != 0, "uriLen", "uri", word, obj, errors);
            OnlyFor(backend.UriDepth != 0, "uriDepth", "uri", word, obj, errors);
            OnlyFor(backend.UriPathOnly, "uriPathOnly", "uri", word, obj, errors);
            OnlyFor(backend.UriWhole, "uriWhole", "uri", word, obj, errors);
        }
        else
        {
            Range(backend.UriLen, 1, int.MaxValue, "uriLen", "no limit", obj, errors);
            Range(backend.UriDepth, 1, int.MaxValue - 1, "uriDepth", "no limit", obj, errors);
        }

        if (balance != Balance.Hdr)
        {
            OnlyFor(backend.HdrUseDomainOnly, "hdrUseDomainOnly", "hdr", word, obj, errors);
        }

        if (balance != Balance.Random)
        {
            OnlyFor(backend.RandomDraws != 0, "randomDraws", "random", word, obj, errors);
        }
        else
        {
            Range(backend.RandomDraws, 1, MaxRandomDraws, "randomDraws", "2", obj, errors);
        }
    }

    /// <summary>Field rules of a server.</summary>
    public static void ValidateServer(Server server, string obj, List<ValidationError> errors)
    {
        ValidateName(server.Name, obj, "name", errors);
        DataPlaneOptionRules.ValidateServer(server, obj, errors);
        ProxyHeaderRules.ValidateServer(server, obj, errors);
        PassiveHealthRules.ValidateServer(server, obj, errors);
        Layer7Rules.ValidateServer(server, obj, errors);
        ServerTlsRules.Validate(server, obj, errors);
        if (server.Address.Length == 0)
        {
            errors.Add(new(obj, "address", "must not be empty"));
        }
        else if (!System.Net.IPAddress.TryParse(server.Address, out _) && !HostNameRegex().IsMatch(server.Address))
        {
            errors.Add(new(obj, "address", $"must be an IP literal or a host name (got '{server.Address}')"));
        }

        if (server.Port is 0 or > 65535)
        {
            errors.Add(new(obj, "port", $"must be 1-65535 (got {server.Port})"));
        }

        if (server.HasWeight && server.Weight > MaxWeight)
        {
            errors.Add(new(obj, "weight", $"must be 0-{MaxWeight} (got {server.Weight})"));
        }

        ValidateMaxconn(server.Maxconn, obj, errors);
        if (server.Id > MaxServerId)
        {
            errors.Add(new(obj, "id", $"must be 0 (automatic) or 1-{MaxServerId} (got {server.Id})"));
        }
    }

    /// <summary>Field rules of a health check (zero = HAProxy default: inter 2000 ms, rise 2, fall 3).</summary>
    public static void ValidateHealthCheck(HealthCheck check, string obj, List<ValidationError> errors)
    {
        Range(check.InterMs, 100, 3_600_000, "healthCheck.interMs", "2000 ms", obj, errors);
        Range(check.TimeoutMs, 1, 3_600_000, "healthCheck.timeoutMs", "the interval", obj, errors);
        Range(check.Rise, 1, 100, "healthCheck.rise", "2", obj, errors);
        Range(check.Fall, 1, 100, "healthCheck.fall", "3", obj, errors);
        if (check.ExpectStatus != 0 && check.ExpectStatus is < 100 or > 599)
        {
            errors.Add(new(obj, "healthCheck.expectStatus", $"must be 0 (any 2xx/3xx) or 100-599 (got {check.ExpectStatus})"));
        }

        if (check.HttpMethod.Length > 0 && !TokenRegex().IsMatch(check.HttpMethod))
        {
            errors.Add(new(obj, "healthCheck.method", $"must be an HTTP method token such as GET (got '{check.HttpMethod}')"));
        }

        if (check.HttpPath.Length > 0 && (!check.HttpPath.StartsWith('/') || check.HttpPath.Any(c => c <= ' ' || c == 0x7f)))
        {
            errors.Add(new(obj, "healthCheck.path", $"must start with '/' and contain no spaces or control characters (got '{check.HttpPath}')"));
        }
    }

    /// <summary>Rule for object names: non-empty, [A-Za-z0-9_.:-]{1,64}.</summary>
    public static void ValidateName(string name, string obj, string field, List<ValidationError> errors)
    {
        if (name.Length == 0)
        {
            errors.Add(new(obj, field, "must not be empty"));
        }
        else if (!NameRegex().IsMatch(name))
        {
            errors.Add(new(obj, field, $"must be 1-{MaxNameLength} characters of A-Z a-z 0-9 _ . : - (got '{name}')"));
        }
    }

    /// <summary>Whether <paramref name="name"/> is an RFC 1123 host name.</summary>
    public static bool IsHostName(string name) => HostNameRegex().IsMatch(name);

    /// <summary>Object label of a frontend, by position when it has no name.</summary>
    public static string FrontendObject(Frontend frontend, int index) =>
        frontend.Name.Length > 0 ? ObjectNames.Frontend(frontend.Name) : $"frontend #{index + 1}";

    /// <summary>Object label of a backend, by position when it has no name.</summary>
    public static string BackendObject(Backend backend, int index) =>
        backend.Name.Length > 0 ? ObjectNames.Backend(backend.Name) : $"backend #{index + 1}";

    /// <summary>Object label of a server, by position when it has no name.</summary>
    public static string ServerObject(string backend, Server server, int index) =>
        server.Name.Length > 0 ? ObjectNames.Server(backend, server.Name) : $"backend '{backend}' server #{index + 1}";

    private static void ValidateMaxconn(uint maxconn, string obj, List<ValidationError> errors)
    {
        if (maxconn > MaxMaxconn)
        {
            errors.Add(new(obj, "maxconn", $"must be 0 (unlimited) or 1-{MaxMaxconn} (got {maxconn})"));
        }
    }

    private static void ValidateTimeout(uint value, string field, string defaultText, string obj, List<ValidationError> errors) =>
        Range(value, 1, MaxTimeoutMs, field, $"{defaultText} ms", obj, errors);

    private static void OnlyFor(bool set, string field, string algorithm, string balance, string obj, List<ValidationError> errors)
    {
        if (set)
        {
            errors.Add(new(obj, field, $"applies only to balance {algorithm} (balance is '{balance}')"));
        }
    }

    private static void ValidateNodeSupport(Mode mode, string obj, List<ValidationError> errors)
    {
        if (NodeSupport.UnsupportedModes.Contains(mode))
        {
            errors.Add(new(obj, "mode", NodeSupport.NotSupported(mode)));
        }
    }

    private static void Range(uint value, uint min, uint max, string field, string defaultText, string obj, List<ValidationError> errors)
    {
        if (value != 0 && (value < min || value > max))
        {
            errors.Add(new(obj, field, $"must be 0 (default {defaultText}) or {min}-{max} (got {value})"));
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_.:-]{1,64}$")]
    private static partial Regex NameRegex();

    // RFC 9110 token.
    [GeneratedRegex("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")]
    private static partial Regex TokenRegex();

    // RFC 1123 host name.
    [GeneratedRegex(@"^(?=.{1,253}\.?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$")]
    private static partial Regex HostNameRegex();
}
