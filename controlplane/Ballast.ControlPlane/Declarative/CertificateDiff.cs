using Ballast.ControlPlane.Validation;
using Ballast.ControlPlane.Model;

namespace Ballast.ControlPlane.Declarative;

/// <summary>
/// Differences between two sets of certificates, by name: a new or removed certificate is one change; a changed one
/// reports <c>certPem</c> as the leaf's SHA-256 fingerprints (<c>sha256:..</c>, not the PEM text) and <c>keyPem</c> as
/// <c>(private key)</c> / <c>(new private key)</c> / null: a private key never appears in a diff.
/// </summary>
internal static class CertificateDiff
{
    private const string Key = "(private key)";
    private const string NewKey = "(new private key)";

    /// <summary>Adds the changes from <paramref name="before"/> to <paramref name="after"/> to <paramref name="changes"/>.</summary>
    public static void Compare(IReadOnlyList<CertificateSpec> before, IReadOnlyList<CertificateSpec> after, List<ConfigChange> changes)
    {
        var old = before.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var current = after.ToDictionary(c => c.Name, StringComparer.Ordinal);
        foreach (var name in old.Keys.Union(current.Keys).Order(StringComparer.Ordinal))
        {
            var obj = CertificateRules.Object(name);
            var had = old.TryGetValue(name, out var was);
            var has = current.TryGetValue(name, out var now);
            if (!had)
            {
                changes.Add(new(ConfigChange.Add, obj));
                continue;
            }

            if (!has)
            {
                changes.Add(new(ConfigChange.Remove, obj));
                continue;
            }

            if (was!.CertPem != now!.CertPem)
            {
                changes.Add(new(ConfigChange.Change, obj, "certPem", CertificateRules.Fingerprint(was.CertPem), CertificateRules.Fingerprint(now.CertPem)));
            }

            var wasKey = string.IsNullOrEmpty(was.KeyPem) ? null : was.KeyPem;
            var nowKey = string.IsNullOrEmpty(now.KeyPem) ? null : now.KeyPem;
            if (wasKey != nowKey)
            {
                changes.Add(new(ConfigChange.Change, obj, "keyPem", wasKey is null ? null : Key, nowKey is null ? null : wasKey is null ? Key : NewKey));
            }
        }
    }
}
