using System.Collections.Frozen;
using System.Collections.Immutable;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Config;

/// <summary>
/// The immutable configuration a node serves: frontends, backends and servers built from one snapshot. Swapped as
/// one reference, so a request sees either the old or the new configuration, never a mix.
/// </summary>
internal sealed class RuntimeModel
{
    /// <summary>The model of a node that has applied nothing.</summary>
    public static readonly RuntimeModel Empty = new(
        0,
        new V1.Config(),
        ImmutableArray<FrontendRuntime>.Empty,
        ImmutableArray<BackendRuntime>.Empty);

    /// <summary>Creates a model and its lookup tables.</summary>
    /// <param name="version">Snapshot version.</param>
    /// <param name="source">The snapshot's configuration (not modified afterwards).</param>
    /// <param name="frontends">Frontends.</param>
    /// <param name="backends">Backends.</param>
    public RuntimeModel(
        ulong version,
        V1.Config source,
        ImmutableArray<FrontendRuntime> frontends,
        ImmutableArray<BackendRuntime> backends)
    {
        Version = version;
        Source = source;
        Frontends = frontends;
        Backends = backends;
        var byBind = new Dictionary<BindEndpoint, FrontendRuntime>();
        foreach (var frontend in frontends)
        {
            foreach (var bind in frontend.Binds)
            {
                byBind[bind] = frontend;
            }
        }

        FrontendsByBind = byBind.ToFrozenDictionary();
        BackendsByName = backends.ToFrozenDictionary(b => b.Name, StringComparer.Ordinal);
    }

    /// <summary>Snapshot version; 0 when nothing is applied.</summary>
    public ulong Version { get; }

    /// <summary>The snapshot's configuration.</summary>
    public V1.Config Source { get; }

    /// <summary>Frontends in configuration order.</summary>
    public ImmutableArray<FrontendRuntime> Frontends { get; }

    /// <summary>Backends in configuration order.</summary>
    public ImmutableArray<BackendRuntime> Backends { get; }

    /// <summary>Frontend owning each bind.</summary>
    public FrozenDictionary<BindEndpoint, FrontendRuntime> FrontendsByBind { get; }

    /// <summary>The snapshot's parsed TLS material (bind certificates, CA bundles, server TLS by address).</summary>
    public Tls.TlsModel Tls { get; init; } = global::Ballast.DataPlane.Tls.TlsModel.Empty;

    /// <summary>Backends by name.</summary>
    public FrozenDictionary<string, BackendRuntime> BackendsByName { get; }
}
