using Ballast.ControlPlane.Model;
using Ballast.ControlPlane.Validation;

namespace Ballast.ControlPlane.Declarative;

/// <summary>
/// The certificates of a bulk write (declarative apply): an entry without <c>keyPem</c> keeps the stored key of the
/// same name when that key matches its leaf (so a native export, which never holds keys, applies back unchanged);
/// then every entry is checked as <c>PUT /api/v1/certificates</c> checks it, and names must be unique.
/// </summary>
internal static class CertificateWrite
{
    /// <summary><paramref name="incoming"/> with stored keys filled in where they match; null stays null (keep the stored set).</summary>
    public static IReadOnlyList<CertificateSpec>? WithStoredKeys(IReadOnlyList<CertificateSpec>? incoming, IReadOnlyList<CertificateSpec> stored)
    {
        if (incoming is null)
        {
            return null;
        }

        var keys = stored.Where(c => c.KeyPem is not null).ToDictionary(c => c.Name, c => c.KeyPem!, StringComparer.Ordinal);
        return incoming.Select(c => WithKey(c, keys)).ToArray();
    }

    // Elements of a deserialized list may be null despite the annotation: Check reports them.
    private static CertificateSpec WithKey(CertificateSpec c, Dictionary<string, string> keys) =>
        c is not null && string.IsNullOrEmpty(c.KeyPem) && keys.TryGetValue(c.Name ?? string.Empty, out var key)
            && CertificateRules.KeyMatches(c.CertPem ?? string.Empty, key)
            ? c with { KeyPem = key }
            : c!;

    /// <summary>Checks every certificate at <paramref name="now"/>; errors name the certificate and the field.</summary>
    public static void Check(IReadOnlyList<CertificateSpec>? certificates, DateTimeOffset now, List<ValidationError> errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (certificates?.Count ?? 0); i++)
        {
            var certificate = certificates![i];
            if (certificate is null)
            {
                errors.Add(new($"certificate #{i + 1}", "certificates", "must be an object, not null"));
                continue;
            }

            CertificateRules.Check(certificate with { Name = certificate.Name ?? string.Empty, CertPem = certificate.CertPem ?? string.Empty }, now, errors);
            if (!string.IsNullOrEmpty(certificate.Name) && !names.Add(certificate.Name))
            {
                errors.Add(new(CertificateRules.Object(certificate.Name), "name", "is used by more than one certificate"));
            }
        }
    }

    /// <summary>The certificates without their keys, for answers and reports.</summary>
    public static IReadOnlyList<CertificateSpec>? Redacted(IReadOnlyList<CertificateSpec>? certificates) =>
        certificates?.Select(c => c with { KeyPem = null }).ToArray();
}
