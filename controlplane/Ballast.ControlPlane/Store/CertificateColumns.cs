using Ballast.ControlPlane.Model;
using Ballast.Proto.V1;
using Microsoft.EntityFrameworkCore;

namespace Ballast.ControlPlane.Store;

/// <summary>
/// Storage of TLS (issue 5): the <c>Certificates</c> table and the server columns <c>Ssl</c>, <c>Verify</c>,
/// <c>CaFile</c>, <c>Sni</c>. <c>EnsureCreated</c> makes them in a new database; a database created before them gets
/// them on start, idempotently (<c>CREATE TABLE IF NOT EXISTS</c> with the DDL EF Core generates, and each column
/// added only when missing), as <see cref="DataPlaneOptionColumns"/> does, independent of the schema version number.
/// </summary>
internal static class CertificateColumns
{
    private const string CreateTable = """
        CREATE TABLE IF NOT EXISTS "Certificates" (
            "Id" INTEGER NOT NULL CONSTRAINT "PK_Certificates" PRIMARY KEY AUTOINCREMENT,
            "Name" TEXT NOT NULL,
            "CertPem" TEXT NOT NULL,
            "KeyPem" TEXT NOT NULL);
        CREATE UNIQUE INDEX IF NOT EXISTS "IX_Certificates_Name" ON "Certificates" ("Name");
        """;

    private static readonly (string Column, string Definition)[] ServerColumns =
    [
        ("Ssl", "INTEGER NOT NULL DEFAULT 0"),
        ("Verify", "TEXT NOT NULL DEFAULT 'required'"),
        ("CaFile", "TEXT NOT NULL DEFAULT ''"),
        ("Sni", "TEXT NOT NULL DEFAULT ''"),
    ];

    /// <summary>Creates the table and adds the columns a database lacks.</summary>
    /// <param name="db">The context.</param>
    /// <param name="cancellationToken">Cancels the upgrade.</param>
    public static async Task AddMissingAsync(BallastDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlRawAsync(CreateTable, cancellationToken);
        await SchemaColumns.AddMissingAsync(db, ServerColumns.Select(c => ("Servers", c.Column, c.Definition)).ToArray(), cancellationToken);
    }

    /// <summary>Writes the TLS options of <paramref name="spec"/> to its row.</summary>
    public static void Apply(ServerEntity row, ServerSpec spec)
    {
        row.Ssl = spec.Ssl;
        row.Verify = HaproxyWords.ToWord(spec.Verify);
        row.CaFile = spec.CaFile ?? string.Empty;
        row.Sni = spec.Sni ?? string.Empty;
    }

    /// <summary>Adds the TLS options stored in <paramref name="row"/> to <paramref name="spec"/>.</summary>
    public static ServerSpec Read(ServerEntity row, ServerSpec spec) => spec with
    {
        Ssl = row.Ssl,
        Verify = HaproxyWords.TryParse<ServerVerify>(row.Verify, out var verify) ? verify : ServerVerify.Required,
        CaFile = row.CaFile,
        Sni = row.Sni,
    };
}
