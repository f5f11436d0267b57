using System.Security.Cryptography;
using Ballast.DataPlane.Config;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tls;

/// <summary>
/// Node-side checks of the TLS fields (called by <see cref="SnapshotValidator"/>): every certificate parses (PEM
/// chain, and for bind certificates a key matching the leaf), names referenced by <c>crt</c> and <c>ca-file</c>
/// exist, <c>ssl</c> binds have a certificate, <c>alpn</c> offers only <c>h2</c>/<c>http/1.1</c> in mode http, and
/// what this node does not implement is refused with the reason: <c>ssl</c> on a mode tcp server, HTTP health checks
/// over TLS, and servers sharing an address with different TLS settings (their connections are pooled together).
/// </summary>
internal static class TlsValidator
{
    private static readonly string[] AlpnProtocols = ["h2", "http/1.1"];

    /// <summary>Validates the TLS parts of <paramref name="config"/>.</summary>
    /// <param name="config">The snapshot.</param>
    /// <param name="errors">Where errors go, HAProxy-style (<c>frontend 'web' bind ...: ...</c>).</param>
    public static void Validate(V1.Config config, List<string> errors)
    {
        var withKey = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var certificate in config.Certificates)
        {
            var where = $"certificate '{certificate.Name}'";
            if (!SnapshotValidator.IsValidName(certificate.Name))
            {
                errors.Add($"{where}: invalid name (expected 1-64 characters of [A-Za-z0-9_.:-])");
            }

            if (!withKey.TryAdd(certificate.Name, certificate.KeyPem.Length > 0))
            {
                errors.Add($"{where}: duplicate certificate name");
                continue;
            }

            try
            {
                if (certificate.KeyPem.Length > 0)
                {
                    using var parsed = TlsCertificate.Parse(certificate).Leaf;
                }
                else
                {
                    TlsCertificate.ParseCertificates(certificate.CertPem);
                }
            }
            catch (CryptographicException ex)
            {
                errors.Add($"{where}: {ex.Message}");
            }
        }

        foreach (var frontend in config.Frontends)
        {
            foreach (var bind in frontend.Binds)
            {
                ValidateBind(frontend, bind, withKey, errors);
            }
        }

        var byEndpoint = new Dictionary<string, (string Where, V1.Server Server)>(StringComparer.Ordinal);
        foreach (var backend in config.Backends)
        {
            foreach (var server in backend.Servers)
            {
                ValidateServer(backend, server, withKey, byEndpoint, errors);
            }
        }
    }

    private static void ValidateBind(V1.Frontend frontend, V1.Bind bind, Dictionary<string, bool> withKey, List<string> errors)
    {
        var where = $"frontend '{frontend.Name}' bind {bind.Address}:{bind.Port}";
        if (!Enum.IsDefined(bind.SslMinVer))
        {
            errors.Add($"{where}: unknown ssl_min_ver {(int)bind.SslMinVer} (expected TLSv1.0, TLSv1.1, TLSv1.2 or TLSv1.3)");
        }

        if (!bind.Ssl)
        {
            if (bind.Certificates.Count > 0 || bind.Alpn.Count > 0 || bind.SslMinVer != V1.TlsVersion.Default)
            {
                errors.Add($"{where}: certificates (crt), alpn and ssl_min_ver need ssl on the same bind");
            }

            return;
        }

        if (bind.Certificates.Count == 0)
        {
            errors.Add($"{where}: ssl needs at least one certificate (crt)");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in bind.Certificates)
        {
            if (!seen.Add(name))
            {
                errors.Add($"{where}: crt '{name}' is listed twice");
            }
            else if (!withKey.TryGetValue(name, out var hasKey))
            {
                errors.Add($"{where}: crt '{name}' does not exist (no certificate of that name in the snapshot)");
            }
            else if (!hasKey)
            {
                errors.Add($"{where}: crt '{name}' has no private key (key_pem); a bind certificate needs one");
            }
        }

        var protocols = new HashSet<string>(StringComparer.Ordinal);
        foreach (var protocol in bind.Alpn)
        {
            if (!AlpnProtocols.Contains(protocol))
            {
                errors.Add($"{where}: alpn '{protocol}' is not supported (expected h2 and/or http/1.1)");
            }
            else if (!protocols.Add(protocol))
            {
                errors.Add($"{where}: alpn '{protocol}' is listed twice");
            }
        }

        if (bind.Alpn.Count > 0 && frontend.Mode != V1.Mode.Http)
        {
            errors.Add($"{where}: alpn negotiates HTTP versions and needs mode http");
        }
    }

    private static void ValidateServer(
        V1.Backend backend,
        V1.Server server,
        Dictionary<string, bool> withKey,
        Dictionary<string, (string Where, V1.Server Server)> byEndpoint,
        List<string> errors)
    {
        var where = $"backend '{backend.Name}' server '{server.Name}'";
        if (!Enum.IsDefined(server.Verify))
        {
            errors.Add($"{where}: unknown verify {(int)server.Verify} (expected none or required)");
        }

        if (!server.Ssl)
        {
            if (server.Verify != V1.ServerVerify.Required || server.CaFile.Length > 0 || server.Sni.Length > 0)
            {
                errors.Add($"{where}: verify, ca_file and sni need ssl on the server");
            }

            return;
        }

        if (server.CaFile.Length > 0 && !withKey.ContainsKey(server.CaFile))
        {
            errors.Add($"{where}: ca_file '{server.CaFile}' does not exist (no certificate of that name in the snapshot)");
        }

        if (server.Sni.Length > 0 && Uri.CheckHostName(server.Sni) != UriHostNameType.Dns)
        {
            errors.Add($"{where}: sni '{server.Sni}' is not a host name");
        }

        if (backend.Mode != V1.Mode.Http)
        {
            errors.Add($"{where}: ssl on a mode tcp server is not supported by this node (TLS towards servers is implemented for mode http only)");
            return;
        }

        if (server.SendProxy != V1.ProxyProtocolVersion.ProxyProtocolNone)
        {
            errors.Add($"{where}: ssl together with send_proxy is not supported by this node yet (the PROXY header would have to precede the TLS handshake)");
        }

        if (server.Check && backend.HealthCheck?.Type == V1.HealthCheckType.HealthCheckHttp && server.CheckPort == 0 && server.CheckAddr.Length == 0)
        {
            errors.Add($"{where}: an HTTP health check of an ssl server would need TLS (HAProxy check-ssl), which this node does not do: point check_port/check_addr at a plain HTTP endpoint or use a TCP check");
        }

        var key = TlsModel.EndpointKey(server.Address, (int)server.Port);
        if (!byEndpoint.TryAdd(key, (where, server)))
        {
            var (otherWhere, other) = byEndpoint[key];
            if (other.Verify != server.Verify || other.CaFile != server.CaFile || !string.Equals(other.Sni, server.Sni, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"{where}: same address {server.Address}:{server.Port} as {otherWhere} with different verify/ca_file/sni (connections to one address are pooled together, so its TLS settings must agree)");
            }
        }
    }
}
