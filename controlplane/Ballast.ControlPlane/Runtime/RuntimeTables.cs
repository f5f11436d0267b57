using Ballast.ControlPlane.Store;
using Microsoft.EntityFrameworkCore;

namespace Ballast.ControlPlane.Runtime;

/// <summary>
/// Creates the runtime override tables in databases created before them (new databases get them from
/// <c>EnsureCreated</c>), with the schema EF Core gives <see cref="RuntimeOverrideEntity"/> and
/// <see cref="RuntimeRevisionEntity"/>; idempotent.
/// </summary>
internal static class RuntimeTables
{
    private const string Create = """
        CREATE TABLE IF NOT EXISTS "RuntimeOverrides" (
            "Id" INTEGER NOT NULL CONSTRAINT "PK_RuntimeOverrides" PRIMARY KEY AUTOINCREMENT,
            "Backend" TEXT NOT NULL,
            "Server" TEXT NOT NULL,
            "State" TEXT NULL,
            "Weight" INTEGER NULL,
            "UpdatedBy" TEXT NOT NULL,
            "UpdatedAt" TEXT NOT NULL);
        CREATE UNIQUE INDEX IF NOT EXISTS "IX_RuntimeOverrides_Backend_Server" ON "RuntimeOverrides" ("Backend", "Server");
        CREATE TABLE IF NOT EXISTS "RuntimeRevision" (
            "Id" INTEGER NOT NULL CONSTRAINT "PK_RuntimeRevision" PRIMARY KEY,
            "Revision" INTEGER NOT NULL);
        """;

    /// <summary>Creates the tables a database lacks.</summary>
    /// <param name="db">The context.</param>
    /// <param name="cancellationToken">Cancels the upgrade.</param>
    public static Task AddMissingAsync(BallastDbContext db, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(Create, cancellationToken);
}
