namespace Ballast.HaproxyConfig.Import;

/// <summary>The four proxy section types and their capabilities (manual, section 4 and the keyword matrix of 4.1).</summary>
internal enum ProxyKind
{
    /// <summary><c>defaults</c>: presets for both sides.</summary>
    Defaults,

    /// <summary><c>frontend</c>: accepts connections.</summary>
    Frontend,

    /// <summary><c>backend</c>: holds servers.</summary>
    Backend,

    /// <summary><c>listen</c>: a frontend and a backend in one.</summary>
    Listen,
}

/// <summary>Capability tests on <see cref="ProxyKind"/>.</summary>
internal static class ProxyKindExtensions
{
    /// <summary>Whether the section accepts frontend keywords (defaults count: they preset them).</summary>
    public static bool HasFrontend(this ProxyKind kind) => kind is not ProxyKind.Backend;

    /// <summary>Whether the section accepts backend keywords (defaults count: they preset them).</summary>
    public static bool HasBackend(this ProxyKind kind) => kind is not ProxyKind.Frontend;
}
