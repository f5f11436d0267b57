using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Validation;

/// <summary>
/// Field rules of a server's TLS options (HAProxy manual, section 5.2): <c>verify</c>, <c>caFile</c> and <c>sni</c>
/// take effect only with <c>ssl</c> and are refused without it (HAProxy ignores them silently); <c>caFile</c> is a
/// certificate name (its existence is checked at publish, <see cref="CertificateReferences"/>); <c>sni</c> is a host
/// name (HAProxy's <c>sni str(&lt;name&gt;)</c>). <c>verify required</c> with an IP address and no <c>sni</c> is
/// allowed: like HAProxy without SNI or <c>verifyhost</c>, it verifies the chain only.
/// </summary>
internal static class ServerTlsRules
{
    /// <summary>Checks the TLS fields of <paramref name="server"/>.</summary>
    public static void Validate(Server server, string obj, List<ValidationError> errors)
    {
        if (!Enum.IsDefined(server.Verify))
        {
            errors.Add(new(obj, "verify", $"unknown verify mode {(int)server.Verify}"));
        }

        if (!server.Ssl)
        {
            if (server.Verify != ServerVerify.Required)
            {
                errors.Add(new(obj, "verify", "applies only with ssl (the server has no ssl)"));
            }

            if (server.CaFile.Length > 0)
            {
                errors.Add(new(obj, "caFile", "applies only with ssl (the server has no ssl)"));
            }

            if (server.Sni.Length > 0)
            {
                errors.Add(new(obj, "sni", "applies only with ssl (the server has no ssl)"));
            }
        }

        if (server.CaFile.Length > 0)
        {
            ConfigValidator.ValidateName(server.CaFile, obj, "caFile", errors);
        }

        if (server.Sni.Length > 0 && !ConfigValidator.IsHostName(server.Sni))
        {
            errors.Add(new(obj, "sni", $"must be a host name such as api.example.com (got '{server.Sni}')"));
        }
    }
}

/// <summary>
/// What nodes do not implement for TLS towards servers (mirrors the node's <c>Tls/TlsValidator</c>, so such a config
/// is refused at the API instead of being NACKed): <c>ssl</c> on mode tcp servers, <c>ssl</c> with
/// <c>send-proxy</c>, an HTTP check of an <c>ssl</c> server on its own address (HAProxy <c>check-ssl</c> is not
/// built), and two <c>ssl</c> servers on one <c>address:port</c> with different <c>verify</c>/<c>caFile</c>/<c>sni</c>
/// (nodes pool connections per address).
/// </summary>
internal static class ServerTlsNodeSupport
{
    /// <summary>Checks every ssl server of <paramref name="config"/>.</summary>
    public static void Validate(Config config, List<ValidationError> errors)
    {
        var byEndpoint = new Dictionary<string, (string Obj, Server Server)>(StringComparer.OrdinalIgnoreCase);
        foreach (var backend in config.Backends)
        {
            for (var i = 0; i < backend.Servers.Count; i++)
            {
                var server = backend.Servers[i];
                if (!server.Ssl)
                {
                    continue;
                }

                var obj = ConfigValidator.ServerObject(backend.Name, server, i);
                if (backend.Mode != Mode.Http)
                {
                    errors.Add(new(obj, "ssl", "is not supported by nodes yet on mode tcp servers (TLS towards servers is built for mode http)"));
                    continue;
                }

                if (server.SendProxy != ProxyProtocolVersion.ProxyProtocolNone)
                {
                    errors.Add(new(obj, "sendProxy", "together with ssl is not supported by nodes yet"));
                }

                if (server.Check && backend.HealthCheck?.Type == HealthCheckType.HealthCheckHttp && server.CheckPort == 0 && server.CheckAddr.Length == 0)
                {
                    errors.Add(new(obj, "check", "an HTTP check of an ssl server would need TLS (HAProxy check-ssl), which nodes do not do: set checkPort/checkAddr to a plain HTTP endpoint or use a TCP check"));
                }

                var key = $"{server.Address}|{server.Port}";
                if (!byEndpoint.TryAdd(key, (obj, server)))
                {
                    var (otherObj, other) = byEndpoint[key];
                    if (other.Verify != server.Verify || other.CaFile != server.CaFile || !string.Equals(other.Sni, server.Sni, StringComparison.OrdinalIgnoreCase))
                    {
                        errors.Add(new(obj, "ssl", $"same address {server.Address}:{server.Port} as {otherObj} with other verify/caFile/sni; nodes pool connections per address, so its TLS settings must agree"));
                    }
                }
            }
        }
    }
}
