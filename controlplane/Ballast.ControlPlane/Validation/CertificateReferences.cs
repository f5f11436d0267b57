using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Validation;

/// <summary>
/// Publish-time checks between binds, servers and certificates: every bind <c>crt</c> names a certificate of the
/// configuration that has a private key, and every server <c>caFile</c> names a certificate. The published
/// configuration carries only the certificates referenced (<see cref="Referenced"/>).
/// </summary>
internal static class CertificateReferences
{
    /// <summary>Names of the certificates the binds and servers of <paramref name="config"/> reference.</summary>
    public static IReadOnlySet<string> Referenced(Config config)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var bind in config.Frontends.SelectMany(f => f.Binds))
        {
            names.UnionWith(bind.Certificates);
        }

        foreach (var server in config.Backends.SelectMany(b => b.Servers).Where(s => s.Ssl && s.CaFile.Length > 0))
        {
            names.Add(server.CaFile);
        }

        return names;
    }

    /// <summary>Checks the references of <paramref name="config"/> against <c>config.Certificates</c>.</summary>
    public static void Validate(Config config, List<ValidationError> errors)
    {
        var certificates = config.Certificates.ToDictionary(c => c.Name, StringComparer.Ordinal);
        for (var i = 0; i < config.Frontends.Count; i++)
        {
            var frontend = config.Frontends[i];
            var obj = ConfigValidator.FrontendObject(frontend, i);
            for (var b = 0; b < frontend.Binds.Count; b++)
            {
                foreach (var crt in frontend.Binds[b].Certificates)
                {
                    if (!certificates.TryGetValue(crt, out var certificate))
                    {
                        errors.Add(new(obj, $"binds[{b}]", $"crt: certificate '{crt}' does not exist (upload it with PUT /api/v1/certificates/{crt})"));
                    }
                    else if (certificate.KeyPem.Length == 0)
                    {
                        errors.Add(new(obj, $"binds[{b}]", $"crt: certificate '{crt}' has no private key (a bind certificate needs keyPem)"));
                    }
                }
            }
        }

        foreach (var backend in config.Backends)
        {
            for (var s = 0; s < backend.Servers.Count; s++)
            {
                var server = backend.Servers[s];
                if (server.CaFile.Length > 0 && !certificates.ContainsKey(server.CaFile))
                {
                    errors.Add(new(ConfigValidator.ServerObject(backend.Name, server, s), "caFile",
                        $"certificate '{server.CaFile}' does not exist (upload the CA bundle with PUT /api/v1/certificates/{server.CaFile})"));
                }
            }
        }
    }
}
