using Ballast.ControlPlane.Model;
using Ballast.ControlPlane.Store;

namespace Ballast.ControlPlane.Declarative;

/// <summary>What the working configuration becomes after a bulk write (<see cref="WorkingConfigStore.ReplaceAsync{TDetail}"/>).</summary>
internal static class ConfigMerge
{
    /// <summary>
    /// <paramref name="incoming"/> written over <paramref name="current"/> with <paramref name="scope"/>, ordered by
    /// name as the store lists it.
    /// </summary>
    public static ConfigSpec Apply(ConfigSpec current, ConfigSpec incoming, ReplaceScope scope)
    {
        var keep = scope == ReplaceScope.SameNames;
        var frontendNames = incoming.Frontends.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var backendNames = incoming.Backends.Select(b => b.Name).ToHashSet(StringComparer.Ordinal);
        return new ConfigSpec
        {
            Frontends = (keep ? current.Frontends.Where(f => !frontendNames.Contains(f.Name)) : [])
                .Concat(incoming.Frontends).OrderBy(f => f.Name, StringComparer.Ordinal).ToArray(),
            Backends = (keep ? current.Backends.Where(b => !backendNames.Contains(b.Name)) : [])
                .Concat(incoming.Backends).OrderBy(b => b.Name, StringComparer.Ordinal).ToArray(),
            Certificates = MergeCertificates(current.Certificates, incoming.Certificates, keep),
        };
    }

    // Null incoming keeps the current certificates; otherwise as frontends and backends.
    private static IReadOnlyList<CertificateSpec>? MergeCertificates(IReadOnlyList<CertificateSpec>? current, IReadOnlyList<CertificateSpec>? incoming, bool keep)
    {
        if (incoming is null)
        {
            return current;
        }

        var names = incoming.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        return (keep ? (current ?? []).Where(c => !names.Contains(c.Name)) : [])
            .Concat(incoming).OrderBy(c => c.Name, StringComparer.Ordinal).ToArray();
    }
}
