using Ballast.ControlPlane.Model;
using Ballast.ControlPlane.Store;
using Ballast.ControlPlane.Tests.TestSupport;
using Ballast.Proto.V1;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ballast.ControlPlane.Tests.Store;

public sealed class CertificateColumnsTests
{
    [Fact]
    public async Task DatabaseFromBeforeTls_GetsTheCertificateTableAndServerColumns_KeepingRows()
    {
        await using var store = await StoreHarness.CreateAsync();
        var backend = new BackendSpec { Name = "app", Servers = [new() { Name = "s1", Address = "127.0.0.1", Port = 8081 }] };
        Assert.True((await store.Working.PutBackendAsync(backend, "test", CancellationToken.None)).Succeeded);
        string connection;
        await using (var db = await store.OpenDbAsync())
        {
            connection = db.Database.GetDbConnection().ConnectionString;
            await db.Database.ExecuteSqlRawAsync("DROP TABLE Certificates");
            foreach (var column in new[] { "Ssl", "Verify", "CaFile", "Sni" })
            {
                var drop = "ALTER TABLE Servers DROP COLUMN " + column;
                await db.Database.ExecuteSqlRawAsync(drop);
            }
        }

        for (var run = 0; run < 2; run++)
        {
            // Twice: the upgrade is idempotent.
            await new StoreInitializer(new Factory(connection), TimeProvider.System, NullLogger<StoreInitializer>.Instance).InitializeAsync(CancellationToken.None);
        }

        var kept = (await store.Working.GetBackendAsync("app", CancellationToken.None))!.Servers![0];
        Assert.Equal((false, ServerVerify.Required, string.Empty, string.Empty), (kept.Ssl, kept.Verify, kept.CaFile, kept.Sni));

        var tls = backend with { Servers = [backend.Servers[0] with { Ssl = true, Verify = ServerVerify.None, CaFile = "ca.pem", Sni = "api.test" }] };
        Assert.True((await store.Working.PutBackendAsync(tls, "test", CancellationToken.None)).Succeeded);
        var stored = (await store.Working.GetBackendAsync("app", CancellationToken.None))!.Servers![0];
        Assert.Equal((true, ServerVerify.None, "ca.pem", "api.test"), (stored.Ssl, stored.Verify, stored.CaFile, stored.Sni));

        await using (var db = await store.OpenDbAsync())
        {
            db.Certificates.Add(new CertificateEntity { Name = "site.pem", CertPem = "cert", KeyPem = "key" });
            await db.SaveChangesAsync();
            db.Certificates.Add(new CertificateEntity { Name = "site.pem", CertPem = "other", KeyPem = string.Empty });
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync()); // the unique name index exists
        }

        var config = await store.Working.GetConfigAsync(CancellationToken.None);
        var certificate = Assert.Single(config.Certificates!);
        Assert.Equal(("site.pem", "cert", null), (certificate.Name, certificate.CertPem, certificate.KeyPem));
        Assert.Equal("key", (await store.Working.GetConfigAsync(CancellationToken.None, withKeys: true)).Certificates![0].KeyPem);
    }

    private sealed class Factory(string connection) : IDbContextFactory<BallastDbContext>
    {
        public BallastDbContext CreateDbContext() =>
            new(new DbContextOptionsBuilder<BallastDbContext>().UseSqlite(connection).Options);
    }
}
