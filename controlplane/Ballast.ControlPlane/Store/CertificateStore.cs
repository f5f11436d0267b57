using Ballast.ControlPlane.Model;
using Ballast.ControlPlane.Validation;
using Microsoft.EntityFrameworkCore;

namespace Ballast.ControlPlane.Store;

/// <summary>
/// The TLS certificates of the working configuration (<c>/api/v1/certificates</c>). Every upload is checked
/// (<see cref="CertificateRules"/>) and stored with an audit entry in the same transaction; the audit detail and the
/// logs carry the certificate's details (subject, fingerprint, validity, whether there is a key), never the key.
/// A certificate named by a bind's <c>crt</c> or a server's <c>caFile</c> cannot be deleted.
/// </summary>
internal sealed class CertificateStore(
    IDbContextFactory<BallastDbContext> dbFactory,
    AuditWriter audit,
    TimeProvider timeProvider,
    ILogger<CertificateStore> logger)
{
    /// <summary>Every certificate's details, by name.</summary>
    public async Task<IReadOnlyList<CertificateInfo>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Certificates.AsNoTracking().OrderBy(c => c.Name).ToListAsync(cancellationToken);
        return rows.Select(r => Describe(r, withPem: false)).ToArray();
    }

    /// <summary>One certificate's details with its PEM certificates (not the key), or null.</summary>
    public async Task<CertificateInfo?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Certificates.AsNoTracking().SingleOrDefaultAsync(c => c.Name == name, cancellationToken);
        return row is null ? null : Describe(row, withPem: true);
    }

    /// <summary>Creates or replaces a certificate; 422 errors name <c>certPem</c> or <c>keyPem</c>.</summary>
    public async Task<EditResult<CertificateInfo>> PutAsync(string name, CertificateUpload upload, string actor, CancellationToken cancellationToken)
    {
        var obj = CertificateRules.Object(name);
        var spec = new CertificateSpec { Name = name, CertPem = upload.CertPem ?? string.Empty, KeyPem = upload.KeyPem };
        var errors = new List<ValidationError>();
        var info = CertificateRules.Check(spec, timeProvider.GetUtcNow(), errors);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        if (info is not null && string.IsNullOrWhiteSpace(spec.KeyPem) && (await BindUsersAsync(db, name, cancellationToken)).Count > 0)
        {
            errors.Add(new(obj, "keyPem", $"is required: the certificate is named by 'crt' on {string.Join(", ", await BindUsersAsync(db, name, cancellationToken))}"));
        }

        if (errors.Count > 0 || info is null)
        {
            return EditResult<CertificateInfo>.Fail(EditOutcome.Invalid, errors);
        }

        var row = await db.Certificates.SingleOrDefaultAsync(c => c.Name == name, cancellationToken);
        var created = row is null;
        row ??= db.Certificates.Add(new CertificateEntity { Name = name }).Entity;
        row.CertPem = spec.CertPem;
        row.KeyPem = spec.KeyPem ?? string.Empty;
        audit.Add(db, actor, created ? "certificate.create" : "certificate.update", obj, info);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        logger.LogInformation(
            "{Actor} {Action} {Object} ({Subject}, sha256 {Fingerprint}, not after {NotAfter:o}, key {HasKey})",
            actor, created ? "created" : "replaced", obj, info.Subject, info.Sha256, info.NotAfter, info.HasKey);
        return EditResult<CertificateInfo>.Ok(info, created);
    }

    /// <summary>Deletes a certificate; refused (409) while a bind or a server names it.</summary>
    public async Task<EditResult<CertificateInfo>> DeleteAsync(string name, string actor, CancellationToken cancellationToken)
    {
        var obj = CertificateRules.Object(name);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var row = await db.Certificates.SingleOrDefaultAsync(c => c.Name == name, cancellationToken);
        if (row is null)
        {
            return EditResult<CertificateInfo>.Fail(EditOutcome.NotFound, obj, "name", "not found");
        }

        var users = (await BindUsersAsync(db, name, cancellationToken)).Concat(await ServerUsersAsync(db, name, cancellationToken)).ToArray();
        if (users.Length > 0)
        {
            return EditResult<CertificateInfo>.Fail(EditOutcome.Conflict, obj, "name", $"is in use by {string.Join(", ", users)}; remove those references first");
        }

        var info = Describe(row, withPem: false);
        db.Certificates.Remove(row);
        audit.Add(db, actor, "certificate.delete", obj, info);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        logger.LogInformation("{Actor} deleted {Object} (sha256 {Fingerprint})", actor, obj, info.Sha256);
        return EditResult<CertificateInfo>.Ok(info, created: false);
    }

    /// <summary>The stored certificates, by name; with <paramref name="withKeys"/> false the keys are left out.</summary>
    internal static async Task<IReadOnlyList<CertificateSpec>> ReadAllAsync(BallastDbContext db, bool withKeys, CancellationToken cancellationToken)
    {
        var rows = await db.Certificates.AsNoTracking().OrderBy(c => c.Name).ToListAsync(cancellationToken);
        return rows.Select(r => new CertificateSpec
        {
            Name = r.Name,
            CertPem = r.CertPem,
            KeyPem = withKeys && r.KeyPem.Length > 0 ? r.KeyPem : null,
        }).ToArray();
    }

    /// <summary>
    /// Writes <paramref name="certificates"/> in a bulk replace: with <paramref name="everything"/> they become the
    /// stored set, otherwise only the same names are replaced. Null keeps the stored certificates.
    /// </summary>
    internal static async Task ReplaceAsync(BallastDbContext db, IReadOnlyList<CertificateSpec>? certificates, bool everything, CancellationToken cancellationToken)
    {
        if (certificates is null)
        {
            return;
        }

        var names = certificates.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var rows = await db.Certificates.ToListAsync(cancellationToken);
        db.Certificates.RemoveRange(rows.Where(r => everything || names.Contains(r.Name)));
        await db.SaveChangesAsync(cancellationToken);
        foreach (var certificate in certificates)
        {
            db.Certificates.Add(new CertificateEntity { Name = certificate.Name, CertPem = certificate.CertPem, KeyPem = certificate.KeyPem ?? string.Empty });
        }
    }

    private static CertificateInfo Describe(CertificateEntity row, bool withPem)
    {
        var info = CertificateRules.Describe(row.Name, row.CertPem, row.KeyPem.Length > 0)
            ?? new CertificateInfo(row.Name, "(unreadable)", [], string.Empty, default, default, string.Empty, row.KeyPem.Length > 0, 0);
        return withPem ? info with { CertPem = row.CertPem } : info;
    }

    // Frontends whose binds name the certificate with 'crt', as "frontend 'web' binds[0]".
    private static async Task<List<string>> BindUsersAsync(BallastDbContext db, string name, CancellationToken cancellationToken)
    {
        var frontends = await db.Frontends.AsNoTracking().OrderBy(f => f.Name).Select(f => new { f.Name, f.Binds }).ToListAsync(cancellationToken);
        var users = new List<string>();
        foreach (var frontend in frontends)
        {
            for (var i = 0; i < frontend.Binds.Count; i++)
            {
                if (BindAddress.TryParse(frontend.Binds[i], out var bind, out _) && bind.Certificates.Contains(name))
                {
                    users.Add($"{ObjectNames.Frontend(frontend.Name)} binds[{i}]");
                }
            }
        }

        return users;
    }

    // Servers naming the certificate as caFile.
    private static async Task<List<string>> ServerUsersAsync(BallastDbContext db, string name, CancellationToken cancellationToken) =>
        (await db.Servers.AsNoTracking().Where(s => s.CaFile == name).Select(s => new { Backend = s.Backend!.Name, s.Name }).ToListAsync(cancellationToken))
            .OrderBy(s => s.Backend, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal)
            .Select(s => $"{ObjectNames.Server(s.Backend, s.Name)} caFile").ToList();
}
