using Ballast.ControlPlane.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ballast.ControlPlane.Store;

/// <summary>The control plane's SQLite database: working config, versions, nodes, audit.</summary>
internal sealed class BallastDbContext(DbContextOptions<BallastDbContext> options) : DbContext(options)
{
    /// <summary>Working config: frontends.</summary>
    public DbSet<FrontendEntity> Frontends => Set<FrontendEntity>();

    /// <summary>Working config: backends.</summary>
    public DbSet<BackendEntity> Backends => Set<BackendEntity>();

    /// <summary>Working config: servers.</summary>
    public DbSet<ServerEntity> Servers => Set<ServerEntity>();

    /// <summary>Working config: TLS certificates.</summary>
    public DbSet<CertificateEntity> Certificates => Set<CertificateEntity>();

    /// <summary>Published, immutable versions.</summary>
    public DbSet<ConfigVersionEntity> ConfigVersions => Set<ConfigVersionEntity>();

    /// <summary>Known nodes.</summary>
    public DbSet<NodeEntity> Nodes => Set<NodeEntity>();

    /// <summary>Runtime server overrides (HAProxy <c>set server state|weight</c>).</summary>
    public DbSet<Runtime.RuntimeOverrideEntity> RuntimeOverrides => Set<Runtime.RuntimeOverrideEntity>();

    /// <summary>Revision of the runtime override set (one row).</summary>
    public DbSet<Runtime.RuntimeRevisionEntity> RuntimeRevision => Set<Runtime.RuntimeRevisionEntity>();

    /// <summary>Audit log.</summary>
    public DbSet<AuditEntryEntity> AuditEntries => Set<AuditEntryEntity>();

    /// <summary>Schema version row.</summary>
    public DbSet<SchemaInfoEntity> SchemaInfo => Set<SchemaInfoEntity>();

    /// <inheritdoc />
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RejectVersionChanges();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    /// <inheritdoc />
    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RejectVersionChanges();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<FrontendEntity>(e =>
        {
            e.ToTable("Frontends");
            e.HasIndex(x => x.Name).IsUnique();
            e.Property(x => x.Mode).HasConversion(v => HaproxyWords.ToWord(v), s => HaproxyWords.Parse<Proto.V1.Mode>(s));
        });
        modelBuilder.Entity<BackendEntity>(e =>
        {
            e.ToTable("Backends");
            e.HasIndex(x => x.Name).IsUnique();
            e.Property(x => x.Mode).HasConversion(v => HaproxyWords.ToWord(v), s => HaproxyWords.Parse<Proto.V1.Mode>(s));
            e.Property(x => x.Balance).HasConversion(v => HaproxyWords.ToWord(v), s => HaproxyWords.Parse<Proto.V1.Balance>(s));
            e.Property(x => x.CheckType)
                .HasConversion(v => HaproxyWords.ToWord(v), s => HaproxyWords.Parse<Proto.V1.HealthCheckType>(s));
            e.Property(x => x.HashType)
                .HasConversion(v => HaproxyWords.ToWord(v), s => HaproxyWords.Parse<Proto.V1.HashType>(s));
            e.Property(x => x.HashFunction)
                .HasConversion(v => HaproxyWords.ToWord(v), s => HaproxyWords.Parse<Proto.V1.HashFunction>(s));
            e.HasMany(x => x.Servers).WithOne(x => x.Backend!).HasForeignKey(x => x.BackendId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<ServerEntity>(e =>
        {
            e.ToTable("Servers");
            e.HasIndex(x => new { x.BackendId, x.Name }).IsUnique();
            e.Property(x => x.State).HasConversion(v => HaproxyWords.ToWord(v), s => HaproxyWords.Parse<Proto.V1.ServerState>(s));
        });
        modelBuilder.Entity<CertificateEntity>(e =>
        {
            e.ToTable("Certificates");
            e.HasIndex(x => x.Name).IsUnique();
        });
        modelBuilder.Entity<ConfigVersionEntity>(e =>
        {
            e.ToTable("ConfigVersions");
            e.HasKey(x => x.Number);
            e.Property(x => x.Number).ValueGeneratedNever();
        });
        modelBuilder.Entity<NodeEntity>(e =>
        {
            e.ToTable("Nodes");
            e.HasKey(x => x.NodeId);
        });
        modelBuilder.Entity<AuditEntryEntity>(e => e.ToTable("AuditEntries"));
        modelBuilder.Entity<SchemaInfoEntity>(SchemaInfoTable);
    }

    private static void SchemaInfoTable(EntityTypeBuilder<SchemaInfoEntity> e)
    {
        e.ToTable("SchemaInfo");
        e.Property(x => x.Id).ValueGeneratedNever();
    }

    private void RejectVersionChanges()
    {
        foreach (EntityEntry<ConfigVersionEntity> entry in ChangeTracker.Entries<ConfigVersionEntity>())
        {
            if (entry.State is EntityState.Modified or EntityState.Deleted)
            {
                throw new InvalidOperationException($"Config version {entry.Entity.Number} is immutable.");
            }
        }
    }
}
