using Ballast.ControlPlane.Model;
using Ballast.ControlPlane.Store;
using Ballast.ControlPlane.Validation;

namespace Ballast.ControlPlane.Api;

/// <summary><c>/api/v1/certificates</c>: the TLS certificates binds (<c>crt</c>) and servers (<c>caFile</c>) name.</summary>
internal static class CertificateEndpoints
{
    /// <summary>Maps the certificate endpoints.</summary>
    public static void MapCertificateEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/certificates").WithTags("Certificates");

        group.MapGet("/", async (CertificateStore store, CancellationToken ct) => TypedResults.Ok(await store.ListAsync(ct)))
            .WithName("ListCertificates")
            .WithSummary("Lists the certificates of the working configuration: name, subject, SANs, issuer, validity, SHA-256 fingerprint, hasKey (never the key).")
            .Produces<IReadOnlyList<CertificateInfo>>();

        group.MapGet("/{name}", async (string name, CertificateStore store, CancellationToken ct) =>
                await store.GetAsync(name, ct) is { } info ? TypedResults.Ok(info) : ApiResults.NotFound(CertificateRules.Object(name)))
            .WithName("GetCertificate").WithSummary("Gets one certificate's details and its PEM certificates (never the key).")
            .Produces<CertificateInfo>().Produces<ErrorResponse>(StatusCodes.Status404NotFound);

        group.MapPut("/{name}", async (string name, CertificateUpload upload, CertificateStore store, CancellationToken ct) =>
                ApiResults.ForPut(await store.PutAsync(name, upload, ApiResults.Actor, ct), $"/api/v1/certificates/{name}"))
            .WithName("PutCertificate")
            .WithSummary("Creates or replaces a certificate: {\"certPem\":\"-----BEGIN CERTIFICATE-----...\",\"keyPem\":\"-----BEGIN PRIVATE KEY-----...\"} (201 created, 200 replaced).")
            .WithDescription(
                "certPem: PEM certificates, the leaf first then its intermediates (or a CA bundle for a server's caFile). keyPem: the leaf's " +
                "unencrypted PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC), required for a certificate named by a bind's crt, omitted for a CA " +
                "bundle. 422 names the field: a PEM that does not read, a key that does not match the leaf, an expired or not yet valid leaf, " +
                "a missing key while a bind uses the certificate. The change is audited (details and fingerprint, never the key) and reaches " +
                "nodes with the next publish; renewing a certificate under the same name makes the next version differ.")
            .Produces<CertificateInfo>().Produces<CertificateInfo>(StatusCodes.Status201Created)
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest).Produces<ErrorResponse>(StatusCodes.Status422UnprocessableEntity);

        group.MapDelete("/{name}", async (string name, CertificateStore store, CancellationToken ct) =>
                ApiResults.ForDelete(await store.DeleteAsync(name, ApiResults.Actor, ct)))
            .WithName("DeleteCertificate").WithSummary("Deletes a certificate; 409 while a bind's crt or a server's caFile names it.")
            .Produces(StatusCodes.Status204NoContent).Produces<ErrorResponse>(StatusCodes.Status404NotFound)
            .Produces<ErrorResponse>(StatusCodes.Status409Conflict);
    }
}
