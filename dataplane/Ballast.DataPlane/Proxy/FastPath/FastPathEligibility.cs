using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Proxy.FastPath;

/// <summary>
/// Decides, once per snapshot, whether a <c>mode http</c> frontend is served by the HTTP/1.1 fast path
/// (<see cref="Http1FastPath"/>) or by Kestrel + YARP. Conservative and future-proof: the frontend and every
/// backend it can route to are cloned, the fields the fast path implements are cleared, and what remains must equal
/// an empty message (the same for each bind and server). So any field added to the model later (TLS, PROXY
/// protocol, captures, rules, passive health...) sends the frontend to the YARP path until the fast path implements
/// it and clears it here.
/// </summary>
internal static class FastPathEligibility
{
    private static readonly V1.Frontend EmptyFrontend = new();
    private static readonly V1.Backend EmptyBackend = new();
    private static readonly V1.Server EmptyServer = new();
    private static readonly V1.Bind EmptyBind = new();

    /// <summary>Whether <paramref name="frontend"/> of <paramref name="config"/> may use the fast path.</summary>
    /// <param name="config">The snapshot's configuration.</param>
    /// <param name="frontend">One of its frontends.</param>
    /// <param name="reason">Why not (the first unsupported setting), null when eligible.</param>
    public static bool IsEligible(V1.Config config, V1.Frontend frontend, out string? reason)
    {
        if (frontend.Mode != V1.Mode.Http)
        {
            reason = "not mode http";
            return false;
        }

        if (!FrontendRemainderIsEmpty(frontend, out reason))
        {
            return false;
        }

        if (frontend.DefaultBackend.Length == 0)
        {
            return true; // every request gets the 503 page
        }

        var backend = config.Backends.FirstOrDefault(b => b.Name == frontend.DefaultBackend);
        if (backend is null)
        {
            reason = $"backend '{frontend.DefaultBackend}' not found";
            return false;
        }

        return BackendRemainderIsEmpty(backend, out reason);
    }

    private static bool FrontendRemainderIsEmpty(V1.Frontend frontend, out string? reason)
    {
        foreach (var bind in frontend.Binds)
        {
            var rest = bind.Clone();
            rest.Address = string.Empty;
            rest.Port = 0;
            rest.Ssl = false; // TLS: the fast path reads the decrypted pipe after Kestrel's handshake;
            rest.Certificates.Clear(); // connections that negotiate h2 by ALPN stay on Kestrel (FastPathSelector)
            rest.Alpn.Clear();
            rest.SslMinVer = default;
            if (!rest.Equals(EmptyBind))
            {
                reason = $"bind option not implemented: {rest}";
                return false;
            }
        }

        var remainder = frontend.Clone();
        remainder.Name = string.Empty;
        remainder.Mode = V1.Mode.Http;
        remainder.Binds.Clear();
        remainder.DefaultBackend = string.Empty;
        remainder.Maxconn = 0;
        remainder.TimeoutClientMs = 0;
        remainder.Logs.Clear();
        remainder.OptionHttplog = false;
        remainder.OptionTcplog = false;
        remainder.OptionDontlognull = false;
        remainder.LogFormat = string.Empty;
        return Empty(remainder, EmptyFrontend, "frontend", out reason);
    }

    private static bool BackendRemainderIsEmpty(V1.Backend backend, out string? reason)
    {
        foreach (var server in backend.Servers)
        {
            var rest = server.Clone();
            rest.Name = string.Empty;
            rest.Address = string.Empty;
            rest.Port = 0;
            rest.ClearWeight();
            rest.Maxconn = 0;
            rest.State = V1.ServerState.Ready;
            rest.Check = false;
            rest.Id = 0;
            rest.Backup = false;
            rest.SlowstartMs = 0;
            rest.CheckPort = 0;
            rest.CheckAddr = string.Empty;
            if (!Empty(rest, EmptyServer, $"server {server.Name}", out reason))
            {
                return false;
            }
        }

        if (backend.Balance == V1.Balance.Hdr)
        {
            reason = "balance hdr() needs the header dictionary";
            return false;
        }

        if (!RetryOnIsConnectionFailureOnly(backend))
        {
            reason = "retry-on other than conn-failure/none";
            return false;
        }

        var remainder = backend.Clone();
        remainder.Name = string.Empty;
        remainder.Mode = V1.Mode.Http;
        remainder.Balance = V1.Balance.Roundrobin;
        remainder.HealthCheck = null;
        remainder.Servers.Clear();
        remainder.HashType = V1.HashType.MapBased;
        remainder.HashFunction = V1.HashFunction.Default;
        remainder.HashAvalanche = false;
        remainder.BalanceParam = string.Empty;
        remainder.UriLen = 0;
        remainder.UriDepth = 0;
        remainder.UriPathOnly = false;
        remainder.UriWhole = false;
        remainder.RandomDraws = 0;
        remainder.TimeoutConnectMs = 0;
        remainder.TimeoutServerMs = 0;
        remainder.Allbackups = false;
        remainder.TimeoutQueueMs = 0;
        remainder.ClearRetries();
        remainder.RetryOn.Clear();
        remainder.ClearRedispatch();
        remainder.Forwardfor = false;
        remainder.ForwardforExcept = string.Empty;
        remainder.ForwardforHeader = string.Empty;
        return Empty(remainder, EmptyBackend, $"backend {backend.Name}", out reason);
    }

    private static bool RetryOnIsConnectionFailureOnly(V1.Backend backend)
    {
        foreach (var word in backend.RetryOn)
        {
            if (word is not ("conn-failure" or "none"))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Empty<T>(T remainder, T empty, string what, out string? reason)
        where T : Google.Protobuf.IMessage<T>
    {
        if (remainder.Equals(empty))
        {
            reason = null;
            return true;
        }

        reason = $"{what}: not implemented by the fast path: {remainder}";
        return false;
    }
}
