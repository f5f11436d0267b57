using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Security.Cryptography.X509Certificates;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tls;

/// <summary>
/// The TLS material of one snapshot: bind certificates parsed with their <see cref="System.Net.Security.SslStreamCertificateContext"/>
/// and CA bundles, each parsed once at apply time (a certificate whose PEM did not change is taken over from the
/// previous snapshot), and the per-server client settings by address for <see cref="ServerTlsConnector"/>.
/// </summary>
internal sealed class TlsModel
{
    /// <summary>No TLS at all.</summary>
    public static readonly TlsModel Empty = new(
        FrozenDictionary<string, TlsCertificate>.Empty,
        FrozenDictionary<string, (string Pem, X509Certificate2Collection Certificates)>.Empty,
        FrozenDictionary<string, ServerTls>.Empty);

    private readonly FrozenDictionary<string, TlsCertificate> _certificates;
    private readonly FrozenDictionary<string, (string Pem, X509Certificate2Collection Certificates)> _caBundles;

    private TlsModel(
        FrozenDictionary<string, TlsCertificate> certificates,
        FrozenDictionary<string, (string Pem, X509Certificate2Collection Certificates)> caBundles,
        FrozenDictionary<string, ServerTls> servers)
    {
        _certificates = certificates;
        _caBundles = caBundles;
        ServersByEndpoint = servers;
    }

    /// <summary>TLS settings of the mode http <c>ssl</c> servers by <see cref="EndpointKey"/>.</summary>
    public FrozenDictionary<string, ServerTls> ServersByEndpoint { get; }

    /// <summary>Parses what <paramref name="config"/> references. It must have passed the snapshot validator.</summary>
    /// <param name="config">The snapshot.</param>
    /// <param name="previous">The previous snapshot's material, reused for unchanged PEMs.</param>
    public static TlsModel Build(V1.Config config, TlsModel previous)
    {
        var byName = new Dictionary<string, V1.Certificate>(StringComparer.Ordinal);
        foreach (var certificate in config.Certificates)
        {
            byName.TryAdd(certificate.Name, certificate);
        }

        var certificates = new Dictionary<string, TlsCertificate>(StringComparer.Ordinal);
        foreach (var frontend in config.Frontends)
        {
            foreach (var bind in frontend.Binds)
            {
                if (!bind.Ssl)
                {
                    continue;
                }

                foreach (var name in bind.Certificates)
                {
                    if (certificates.ContainsKey(name) || !byName.TryGetValue(name, out var source))
                    {
                        continue;
                    }

                    certificates[name] = previous._certificates.TryGetValue(name, out var old)
                        && old.CertPem == source.CertPem && old.KeyPem == source.KeyPem
                        ? old
                        : TlsCertificate.Parse(source);
                }
            }
        }

        var caBundles = new Dictionary<string, (string, X509Certificate2Collection)>(StringComparer.Ordinal);
        var servers = new Dictionary<string, ServerTls>(StringComparer.Ordinal);
        foreach (var backend in config.Backends)
        {
            foreach (var server in backend.Servers)
            {
                if (!server.Ssl || server.CaFile.Length == 0 || caBundles.ContainsKey(server.CaFile) || !byName.TryGetValue(server.CaFile, out var source))
                {
                    continue;
                }

                caBundles[server.CaFile] = previous._caBundles.TryGetValue(server.CaFile, out var old) && old.Pem == source.CertPem
                    ? old
                    : (source.CertPem, TlsCertificate.ParseCertificates(source.CertPem));
            }
        }

        var model = new TlsModel(certificates.ToFrozenDictionary(StringComparer.Ordinal), caBundles.ToFrozenDictionary(StringComparer.Ordinal), FrozenDictionary<string, ServerTls>.Empty);
        foreach (var backend in config.Backends)
        {
            if (backend.Mode != V1.Mode.Http)
            {
                continue;
            }

            foreach (var server in backend.Servers)
            {
                if (model.ForServer(server) is { } tls)
                {
                    servers.TryAdd(EndpointKey(server.Address, (int)server.Port), tls);
                }
            }
        }

        return new TlsModel(model._certificates, model._caBundles, servers.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>The key of an address and port in <see cref="ServersByEndpoint"/>: host without brackets, lower case.</summary>
    /// <param name="host">IP literal (IPv6 possibly bracketed) or host name.</param>
    /// <param name="port">TCP port.</param>
    public static string EndpointKey(string host, int port)
    {
        var bare = host.Length > 2 && host[0] == '[' && host[^1] == ']' ? host[1..^1] : host;
        return $"{bare.ToLowerInvariant()}:{port}";
    }

    /// <summary>The TLS settings of a bind; null without <c>ssl</c>.</summary>
    /// <param name="bind">The snapshot's bind.</param>
    public BindTls? ForBind(V1.Bind bind)
    {
        if (!bind.Ssl)
        {
            return null;
        }

        var certificates = ImmutableArray.CreateBuilder<TlsCertificate>(bind.Certificates.Count);
        foreach (var name in bind.Certificates)
        {
            certificates.Add(_certificates[name]);
        }

        return new BindTls(certificates.ToImmutable(), bind.Alpn, bind.SslMinVer);
    }

    /// <summary>The client TLS settings of a server; null without <c>ssl</c>.</summary>
    /// <param name="server">The snapshot's server.</param>
    public ServerTls? ForServer(V1.Server server)
    {
        if (!server.Ssl)
        {
            return null;
        }

        var bundle = server.CaFile.Length > 0 ? _caBundles[server.CaFile].Certificates : null;
        return new ServerTls(server.Address, server.Verify != V1.ServerVerify.None, bundle, server.Sni);
    }
}
