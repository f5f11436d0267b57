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
