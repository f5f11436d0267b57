using Ballast.ControlPlane.Validation;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Model;

/// <summary>Converts between the admin API model and ballast.v1 messages.</summary>
internal static class SpecMapping
{
    /// <summary>Converts a frontend; unparseable binds are reported in <paramref name="errors"/> and skipped.</summary>
    public static Frontend ToProto(FrontendSpec spec, string obj, List<ValidationError> errors)
    {
        var frontend = new Frontend
        {
            Name = spec.Name,
            Mode = spec.Mode,
            DefaultBackend = spec.DefaultBackend,
            Maxconn = spec.Maxconn,
            TimeoutClientMs = spec.TimeoutClientMs,
        };
        for (var i = 0; i < spec.Binds.Count; i++)
        {
            if (BindAddress.TryParse(spec.Binds[i], out var bind, out var error))
            {
                frontend.Binds.Add(bind);
            }
            else
            {
                errors.Add(new(obj, $"binds[{i}]", error));
            }
        }

        return frontend.WithLayer7(spec, obj, errors).WithAccessLog(spec, obj, errors).WithProxyHeaders(spec);
    }

    /// <summary>Converts a backend with the given servers; layer-7 text that does not read is reported in <paramref name="errors"/>.</summary>
    public static Backend ToProto(BackendSpec spec, IEnumerable<ServerSpec> servers, string obj, List<ValidationError>? errors) =>
        BackendCore(spec, servers).WithLayer7(spec, obj, errors).WithProxyHeaders(spec, obj, errors);

    /// <summary>Converts a backend with the given servers (layer-7 text that does not read is left out).</summary>
    public static Backend ToProto(BackendSpec spec, IEnumerable<ServerSpec> servers) => ToProto(spec, servers, ObjectNames.Backend(spec.Name), null);

    private static Backend BackendCore(BackendSpec spec, IEnumerable<ServerSpec> servers) => new Backend
    {
        Name = spec.Name,
        Mode = spec.Mode,
        Balance = spec.Balance,
        HealthCheck = ToProto(spec.HealthCheck),
        Servers = { servers.Select(ToProto) },
        BalanceParam = spec.BalanceParam ?? string.Empty,
        UriLen = spec.UriLen,
        UriDepth = spec.UriDepth,
        UriPathOnly = spec.UriPathOnly,
        UriWhole = spec.UriWhole,
        HdrUseDomainOnly = spec.HdrUseDomainOnly,
        RandomDraws = spec.RandomDraws,
        HashType = spec.HashType,
        HashFunction = spec.HashFunction,
        HashAvalanche = spec.HashAvalanche,
        TimeoutConnectMs = spec.TimeoutConnectMs,
        TimeoutServerMs = spec.TimeoutServerMs,
        Allbackups = spec.Allbackups,
        TimeoutQueueMs = spec.TimeoutQueueMs,
        Retries = spec.Retries ?? 0,
        RetryOn = { spec.RetryOn ?? [] },
        Redispatch = spec.Redispatch ?? 0,
        Forwardfor = spec.Forwardfor,
        ForwardforExcept = spec.ForwardforExcept ?? string.Empty,
        ForwardforHeader = spec.ForwardforHeader ?? string.Empty,
    }.WithUnsetDefaults(spec);

    /// <summary>Converts a health check.</summary>
    public static HealthCheck ToProto(HealthCheckSpec spec) => new()
    {
        Type = spec.Type,
        HttpMethod = spec.Method,
        HttpPath = spec.Path,
        ExpectStatus = spec.ExpectStatus,
        InterMs = spec.InterMs,
        Rise = spec.Rise,
        Fall = spec.Fall,
        TimeoutMs = spec.TimeoutMs,
        FastinterMs = spec.FastinterMs,
        DowninterMs = spec.DowninterMs,
        ExpectKind = spec.ExpectKind,
        ExpectValue = spec.ExpectValue ?? string.Empty,
    };

    /// <summary>Converts a server.</summary>
    public static Server ToProto(ServerSpec spec) => new()
    {
        Name = spec.Name,
        Address = spec.Address,
        Port = spec.Port,
        Weight = spec.Weight,
        Maxconn = spec.Maxconn,
        State = spec.State,
        Check = spec.Check,
        Id = spec.Id,
        Backup = spec.Backup,
        SlowstartMs = spec.SlowstartMs,
        Maxqueue = spec.Maxqueue,
        CheckPort = spec.CheckPort,
        CheckAddr = spec.CheckAddr ?? string.Empty,
        Observe = spec.Observe,
        ErrorLimit = spec.ErrorLimit,
        OnError = spec.OnError,
        Cookie = spec.Cookie ?? string.Empty,
        SendProxy = spec.SendProxy,
        Ssl = spec.Ssl,
        Verify = spec.Verify,
        CaFile = spec.CaFile ?? string.Empty,
        Sni = spec.Sni ?? string.Empty,
    };

    /// <summary>Converts a frontend message.</summary>
    public static FrontendSpec FromProto(Frontend frontend) => new FrontendSpec
    {
        Name = frontend.Name,
        Mode = frontend.Mode,
        Binds = frontend.Binds.Select(BindAddress.Format).ToArray(),
        DefaultBackend = frontend.DefaultBackend,
        Maxconn = frontend.Maxconn,
        TimeoutClientMs = frontend.TimeoutClientMs,
    }.WithLayer7(frontend).WithAccessLog(frontend).WithProxyHeaders(frontend);

    /// <summary>Converts a backend message, servers included.</summary>
    public static BackendSpec FromProto(Backend backend)
    {
        var check = backend.HealthCheck ?? new HealthCheck();
        return new BackendSpec
        {
            Name = backend.Name,
            Mode = backend.Mode,
            Balance = backend.Balance,
            HealthCheck = new()
            {
                Type = check.Type,
                Method = check.HttpMethod,
                Path = check.HttpPath,
                ExpectStatus = check.ExpectStatus,
                InterMs = check.InterMs,
                Rise = check.Rise,
                Fall = check.Fall,
                TimeoutMs = check.TimeoutMs,
                FastinterMs = check.FastinterMs,
                DowninterMs = check.DowninterMs,
                ExpectKind = check.ExpectKind,
                ExpectValue = check.ExpectValue,
            },
            Servers = backend.Servers.Select(FromProto).ToArray(),
            BalanceParam = backend.BalanceParam,
            UriLen = backend.UriLen,
            UriDepth = backend.UriDepth,
            UriPathOnly = backend.UriPathOnly,
            UriWhole = backend.UriWhole,
            HdrUseDomainOnly = backend.HdrUseDomainOnly,
            RandomDraws = backend.RandomDraws,
            HashType = backend.HashType,
            HashFunction = backend.HashFunction,
            HashAvalanche = backend.HashAvalanche,
            TimeoutConnectMs = backend.TimeoutConnectMs,
            TimeoutServerMs = backend.TimeoutServerMs,
            Allbackups = backend.Allbackups,
            TimeoutQueueMs = backend.TimeoutQueueMs,
            Retries = backend.HasRetries ? backend.Retries : null,
            RetryOn = [.. backend.RetryOn],
            Redispatch = backend.HasRedispatch ? backend.Redispatch : null,
            Forwardfor = backend.Forwardfor,
            ForwardforExcept = backend.ForwardforExcept,
            ForwardforHeader = backend.ForwardforHeader,
        }.WithLayer7(backend).WithProxyHeaders(backend);
    }

    /// <summary>Converts a server message (unset weight = 1).</summary>
    public static ServerSpec FromProto(Server server) => new()
    {
        Name = server.Name,
        Address = server.Address,
        Port = server.Port,
        Weight = server.HasWeight ? server.Weight : 1,
        Maxconn = server.Maxconn,
        State = server.State,
        Check = server.Check,
        Id = server.Id,
        Backup = server.Backup,
        SlowstartMs = server.SlowstartMs,
        Maxqueue = server.Maxqueue,
        CheckPort = server.CheckPort,
        CheckAddr = server.CheckAddr,
        Observe = server.Observe,
        ErrorLimit = server.ErrorLimit,
        OnError = server.OnError,
        Cookie = server.Cookie,
        SendProxy = server.SendProxy,
        Ssl = server.Ssl,
        Verify = server.Verify,
        CaFile = server.CaFile,
        Sni = server.Sni,
    };

    /// <summary>Converts a whole configuration message; certificates lose their private keys (never shown).</summary>
    public static ConfigSpec FromProto(Config config) => new()
    {
        Frontends = config.Frontends.Select(FromProto).ToArray(),
        Backends = config.Backends.Select(FromProto).ToArray(),
        Certificates = config.Certificates.Select(c => new CertificateSpec { Name = c.Name, CertPem = c.CertPem }).OrderBy(c => c.Name, StringComparer.Ordinal).ToArray(),
    };
}
