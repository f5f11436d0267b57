using Ballast.ControlPlane.Model;
using Ballast.ControlPlane.Validation;
using Ballast.Proto.V1;
using Microsoft.EntityFrameworkCore;

namespace Ballast.ControlPlane.Store;

/// <summary>
/// The working (editable) configuration: frontends, backends and servers. Every edit is checked with the
/// field rules of <see cref="ConfigValidator"/>, stored with an audit entry in the same transaction, and
/// published only later by <c>ConfigPublisher</c>.
/// </summary>
internal sealed class WorkingConfigStore(
    IDbContextFactory<BallastDbContext> dbFactory,
    AuditWriter audit,
    ILogger<WorkingConfigStore> logger)
{
    private const string NotFound = "not found";

    /// <summary>All frontends, by name.</summary>
    public async Task<IReadOnlyList<FrontendSpec>> ListFrontendsAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Frontends.AsNoTracking().OrderBy(f => f.Name).ToListAsync(cancellationToken);
        return rows.Select(ToSpec).ToArray();
    }

    /// <summary>One frontend, or null.</summary>
    public async Task<FrontendSpec?> GetFrontendAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Frontends.AsNoTracking().SingleOrDefaultAsync(f => f.Name == name, cancellationToken);
        return row is null ? null : ToSpec(row);
    }

    /// <summary>Creates or replaces a frontend.</summary>
    public async Task<EditResult<FrontendSpec>> PutFrontendAsync(FrontendSpec spec, string actor, CancellationToken cancellationToken)
    {
        var obj = ObjectNames.Frontend(spec.Name);
        var errors = new List<ValidationError>();
        var proto = SpecMapping.ToProto(spec, obj, errors);
        var unparsed = errors.Count > 0;
        ConfigValidator.ValidateFrontend(proto, obj, errors);
        if (unparsed)
        {
            // Binds that did not parse were dropped from the message: do not also report "no binds".
            errors.RemoveAll(e => e.Field == "binds");
        }

        if (errors.Count > 0)
        {
            return EditResult<FrontendSpec>.Fail(EditOutcome.Invalid, errors);
        }

        var stored = SpecMapping.FromProto(proto);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Frontends.SingleOrDefaultAsync(f => f.Name == spec.Name, cancellationToken);
        var created = row is null;
        row ??= db.Frontends.Add(new FrontendEntity { Name = spec.Name }).Entity;
        Apply(row, stored);
        audit.Add(db, actor, created ? "frontend.create" : "frontend.update", obj, stored);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("{Actor} {Action} {Object}", actor, created ? "created" : "updated", obj);
        return EditResult<FrontendSpec>.Ok(stored, created);
    }

    /// <summary>Deletes a frontend.</summary>
    public async Task<EditResult<FrontendSpec>> DeleteFrontendAsync(string name, string actor, CancellationToken cancellationToken)
    {
        var obj = ObjectNames.Frontend(name);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Frontends.SingleOrDefaultAsync(f => f.Name == name, cancellationToken);
        if (row is null)
        {
            return EditResult<FrontendSpec>.Fail(EditOutcome.NotFound, obj, "name", NotFound);
        }

        var spec = ToSpec(row);
        db.Frontends.Remove(row);
        audit.Add(db, actor, "frontend.delete", obj, spec);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("{Actor} deleted {Object}", actor, obj);
        return EditResult<FrontendSpec>.Ok(spec, created: false);
    }

    /// <summary>All backends with their servers, by name.</summary>
    public async Task<IReadOnlyList<BackendSpec>> ListBackendsAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Backends.AsNoTracking().Include(b => b.Servers).OrderBy(b => b.Name).ToListAsync(cancellationToken);
        return rows.Select(ToSpec).ToArray();
    }

    /// <summary>One backend with its servers, or null.</summary>
    public async Task<BackendSpec?> GetBackendAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Backends.AsNoTracking().Include(b => b.Servers).SingleOrDefaultAsync(b => b.Name == name, cancellationToken);
        return row is null ? null : ToSpec(row);
    }

    /// <summary>Creates or replaces a backend; its servers are replaced only when <see cref="BackendSpec.Servers"/> is set.</summary>
    public async Task<EditResult<BackendSpec>> PutBackendAsync(BackendSpec spec, string actor, CancellationToken cancellationToken)
    {
        var obj = ObjectNames.Backend(spec.Name);
        var errors = new List<ValidationError>();
        ConfigValidator.ValidateBackend(SpecMapping.ToProto(spec, spec.Servers ?? [], obj, errors), obj, errors);
        if (errors.Count > 0)
        {
            return EditResult<BackendSpec>.Fail(EditOutcome.Invalid, errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var row = await db.Backends.Include(b => b.Servers).SingleOrDefaultAsync(b => b.Name == spec.Name, cancellationToken);
        var created = row is null;
        row ??= db.Backends.Add(new BackendEntity { Name = spec.Name }).Entity;
        Apply(row, spec);
        if (spec.Servers is not null && row.Servers.Count > 0)
        {
            // Replace in two steps so the (backend, name) unique index never sees old and new rows at once.
            db.Servers.RemoveRange(row.Servers);
            await db.SaveChangesAsync(cancellationToken);
            row.Servers.Clear();
        }

        if (spec.Servers is not null)
        {
            foreach (var server in spec.Servers)
            {
                var entity = new ServerEntity { Name = server.Name };
                Apply(entity, server);
                row.Servers.Add(entity);
            }
        }

        var stored = ToSpec(row);
        audit.Add(db, actor, created ? "backend.create" : "backend.update", obj, stored);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        logger.LogInformation("{Actor} {Action} {Object}", actor, created ? "created" : "updated", obj);
        return EditResult<BackendSpec>.Ok(stored, created);
    }

    /// <summary>Deletes a backend and its servers; refused while a frontend uses it as default backend.</summary>
    public async Task<EditResult<BackendSpec>> DeleteBackendAsync(string name, string actor, CancellationToken cancellationToken)
    {
        var obj = ObjectNames.Backend(name);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Backends.Include(b => b.Servers).SingleOrDefaultAsync(b => b.Name == name, cancellationToken);
        if (row is null)
        {
            return EditResult<BackendSpec>.Fail(EditOutcome.NotFound, obj, "name", NotFound);
        }

        var users = await db.Frontends.Where(f => f.DefaultBackend == name).Select(f => f.Name).OrderBy(n => n).ToListAsync(cancellationToken);
        if (users.Count > 0)
        {
            var list = string.Join(", ", users.Select(ObjectNames.Frontend));
            return EditResult<BackendSpec>.Fail(EditOutcome.Conflict, obj, "name", $"is the default backend of {list}");
        }

        var spec = ToSpec(row);
        db.Backends.Remove(row);
        audit.Add(db, actor, "backend.delete", obj, spec);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("{Actor} deleted {Object}", actor, obj);
        return EditResult<BackendSpec>.Ok(spec, created: false);
    }

    /// <summary>Servers of a backend in declaration order, or null when the backend does not exist.</summary>
    public async Task<IReadOnlyList<ServerSpec>?> ListServersAsync(string backend, CancellationToken cancellationToken) =>
        (await GetBackendAsync(backend, cancellationToken))?.Servers;

    /// <summary>Creates or replaces a server of an existing backend.</summary>
    public async Task<EditResult<ServerSpec>> PutServerAsync(string backend, ServerSpec spec, string actor, CancellationToken cancellationToken) =>
        await EditServerAsync(backend, spec.Name, actor, "server.update", existing => spec, allowCreate: true, detail: spec, cancellationToken);

    /// <summary>Changes some fields of an existing server.</summary>
    public async Task<EditResult<ServerSpec>> PatchServerAsync(string backend, string server, ServerPatch patch, string actor, CancellationToken cancellationToken) =>
        await EditServerAsync(backend, server, actor, "server.patch", existing => existing is null ? null : patch.ApplyTo(existing), allowCreate: false, detail: patch, cancellationToken);

    /// <summary>Deletes a server.</summary>
    public async Task<EditResult<ServerSpec>> DeleteServerAsync(string backend, string server, string actor, CancellationToken cancellationToken)
    {
        var obj = ObjectNames.Server(backend, server);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Servers.Include(s => s.Backend).SingleOrDefaultAsync(s => s.Backend!.Name == backend && s.Name == server, cancellationToken);
        if (row is null)
        {
            return EditResult<ServerSpec>.Fail(EditOutcome.NotFound, obj, "name", NotFound);
        }

        var spec = ToSpec(row);
        db.Servers.Remove(row);
        audit.Add(db, actor, "server.delete", obj, spec);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("{Actor} deleted {Object}", actor, obj);
        return EditResult<ServerSpec>.Ok(spec, created: false);
    }

    /// <summary>The whole working configuration in admin API form; certificates without their keys unless <paramref name="withKeys"/>.</summary>
    public async Task<ConfigSpec> GetConfigAsync(CancellationToken cancellationToken, bool withKeys = false)
    {
        var frontends = await ListFrontendsAsync(cancellationToken);
        var backends = await ListBackendsAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return new() { Frontends = frontends, Backends = backends, Certificates = await CertificateStore.ReadAllAsync(db, withKeys, cancellationToken) };
    }

    /// <summary>
    /// The whole working configuration as a ballast.v1 message, read in one transaction; binds that no longer
    /// parse are reported in <paramref name="errors"/>.
    /// </summary>
    public async Task<Config> GetConfigMessageAsync(List<ValidationError> errors, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var frontends = await db.Frontends.AsNoTracking().OrderBy(f => f.Name).ToListAsync(cancellationToken);
        var backends = await db.Backends.AsNoTracking().Include(b => b.Servers).OrderBy(b => b.Name).ToListAsync(cancellationToken);
        var config = new Config();
        config.Frontends.Add(frontends.Select(f => SpecMapping.ToProto(ToSpec(f), ObjectNames.Frontend(f.Name), errors)));
        config.Backends.Add(backends.Select(ToSpec).Select(b => SpecMapping.ToProto(b, b.Servers ?? [], ObjectNames.Backend(b.Name), errors)));
        var referenced = CertificateReferences.Referenced(config);
        config.Certificates.Add((await CertificateStore.ReadAllAsync(db, withKeys: true, cancellationToken))
            .Where(c => referenced.Contains(c.Name))
            .Select(c => new Certificate { Name = c.Name, CertPem = c.CertPem, KeyPem = c.KeyPem ?? string.Empty }));
        return config;
    }

    private async Task<EditResult<ServerSpec>> EditServerAsync<TDetail>(
        string backend,
        string server,
        string actor,
        string updateAction,
        Func<ServerSpec?, ServerSpec?> change,
        bool allowCreate,
        TDetail detail,
        CancellationToken cancellationToken)
    {
        var obj = ObjectNames.Server(backend, server);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var parent = await db.Backends.SingleOrDefaultAsync(b => b.Name == backend, cancellationToken);
        if (parent is null)
        {
            return EditResult<ServerSpec>.Fail(EditOutcome.NotFound, ObjectNames.Backend(backend), "name", NotFound);
        }

        var row = await db.Servers.SingleOrDefaultAsync(s => s.BackendId == parent.Id && s.Name == server, cancellationToken);
        if (row is null && !allowCreate)
        {
            return EditResult<ServerSpec>.Fail(EditOutcome.NotFound, obj, "name", NotFound);
        }

        var updated = change(row is null ? null : ToSpec(row))!;
        var errors = new List<ValidationError>();
        ConfigValidator.ValidateServer(SpecMapping.ToProto(updated), obj, errors);
        if (errors.Count > 0)
        {
            return EditResult<ServerSpec>.Fail(EditOutcome.Invalid, errors);
        }

        var created = row is null;
        row ??= db.Servers.Add(new ServerEntity { BackendId = parent.Id, Name = server }).Entity;
        Apply(row, updated);
        audit.Add(db, actor, created ? "server.create" : updateAction, obj, detail);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("{Actor} {Action} {Object}", actor, created ? "created" : "updated", obj);
        return EditResult<ServerSpec>.Ok(ToSpec(row), created);
    }

    /// <summary>
    /// Replaces objects of the working configuration in one transaction, with one audit entry. With
    /// <see cref="ReplaceScope.Everything"/> the working configuration becomes <paramref name="config"/>; with
    /// <see cref="ReplaceScope.SameNames"/> the frontends and backends named in it are replaced (a backend with its
    /// servers) and all others kept. <paramref name="config"/> must have passed the field rules and hold canonical
    /// binds (<see cref="WorkingConfigRules.Check"/>).
    /// </summary>
    /// <param name="config">What to write.</param>
    /// <param name="scope">What it replaces.</param>
    /// <param name="actor">Who, for the audit log.</param>
    /// <param name="action">Audit action, e.g. <c>apply</c>.</param>
    /// <param name="detail">Audit detail (serialized as JSON), made from the configuration as it was before.</param>
    /// <param name="cancellationToken">Cancels before the commit.</param>
    /// <returns>The working configuration as it was just before the change.</returns>
    public async Task<ConfigSpec> ReplaceAsync<TDetail>(
        ConfigSpec config, ReplaceScope scope, string actor, string action, Func<ConfigSpec, TDetail> detail, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var frontends = await db.Frontends.OrderBy(f => f.Name).ToListAsync(cancellationToken);
        var backends = await db.Backends.Include(b => b.Servers).OrderBy(b => b.Name).ToListAsync(cancellationToken);
        var previous = new ConfigSpec
        {
            Frontends = frontends.Select(ToSpec).ToArray(),
            Backends = backends.Select(ToSpec).ToArray(),
            Certificates = await CertificateStore.ReadAllAsync(db, withKeys: true, cancellationToken),
        };

        var frontendNames = config.Frontends.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var backendNames = config.Backends.Select(b => b.Name).ToHashSet(StringComparer.Ordinal);
        var everything = scope == ReplaceScope.Everything;
        db.Frontends.RemoveRange(frontends.Where(f => everything || frontendNames.Contains(f.Name)));
        db.Backends.RemoveRange(backends.Where(b => everything || backendNames.Contains(b.Name)));
        // Remove first so the unique name indexes never see old and new rows at once.
        await db.SaveChangesAsync(cancellationToken);
        await CertificateStore.ReplaceAsync(db, config.Certificates, everything, cancellationToken);

        foreach (var frontend in config.Frontends)
        {
            var row = db.Frontends.Add(new FrontendEntity { Name = frontend.Name }).Entity;
            Apply(row, frontend);
        }

        foreach (var backend in config.Backends)
        {
            var row = db.Backends.Add(new BackendEntity { Name = backend.Name }).Entity;
            Apply(row, backend);
            foreach (var server in backend.Servers ?? [])
            {
                var entity = new ServerEntity { Name = server.Name };
                Apply(entity, server);
                row.Servers.Add(entity);
            }
        }

        audit.Add(db, actor, action, "working config", detail(previous));
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        logger.LogInformation(
            "{Actor} {Action}: {Frontends} frontend(s) and {Backends} backend(s) written, {Scope}",
            actor, action, config.Frontends.Count, config.Backends.Count, everything ? "whole working config replaced" : "others kept");
        return previous;
    }

    private static void Apply(FrontendEntity row, FrontendSpec spec)
    {
        row.Mode = spec.Mode;
        row.Binds = [.. spec.Binds];
        row.DefaultBackend = spec.DefaultBackend;
        row.Maxconn = spec.Maxconn;
        row.TimeoutClientMs = spec.TimeoutClientMs;
        Layer7Columns.Apply(row, spec);
        AccessLogColumns.Apply(row, spec);
        ProxyHeaderColumns.Apply(row, spec);
    }

    private static void Apply(BackendEntity row, BackendSpec spec)
    {
        row.Mode = spec.Mode;
        row.Balance = spec.Balance;
        row.CheckType = spec.HealthCheck.Type;
        row.CheckMethod = spec.HealthCheck.Method;
        row.CheckPath = spec.HealthCheck.Path;
        row.CheckExpectStatus = spec.HealthCheck.ExpectStatus;
        row.CheckInterMs = spec.HealthCheck.InterMs;
        row.CheckRise = spec.HealthCheck.Rise;
        row.CheckFall = spec.HealthCheck.Fall;
        row.CheckTimeoutMs = spec.HealthCheck.TimeoutMs;
        row.BalanceParam = spec.BalanceParam ?? string.Empty;
        row.UriLen = spec.UriLen;
        row.UriDepth = spec.UriDepth;
        row.UriPathOnly = spec.UriPathOnly;
        row.UriWhole = spec.UriWhole;
        row.HdrUseDomainOnly = spec.HdrUseDomainOnly;
        row.RandomDraws = spec.RandomDraws;
        row.HashType = spec.HashType;
        row.HashFunction = spec.HashFunction;
        row.HashAvalanche = spec.HashAvalanche;
        row.TimeoutConnectMs = spec.TimeoutConnectMs;
        row.TimeoutServerMs = spec.TimeoutServerMs;
        DataPlaneOptionColumns.Apply(row, spec);
        Layer7Columns.Apply(row, spec);
        ProxyHeaderColumns.Apply(row, spec);
    }

    private static void Apply(ServerEntity entity, ServerSpec spec)
    {
        entity.Address = spec.Address;
        entity.Port = spec.Port;
        entity.Weight = spec.Weight;
        entity.Maxconn = spec.Maxconn;
        entity.State = spec.State;
        entity.Check = spec.Check;
        entity.ServerId = spec.Id;
        DataPlaneOptionColumns.Apply(entity, spec);
        entity.Cookie = spec.Cookie ?? string.Empty;
        CertificateColumns.Apply(entity, spec);
        ProxyHeaderColumns.Apply(entity, spec);
    }

    private static FrontendSpec ToSpec(FrontendEntity row) => ProxyHeaderColumns.Read(row, AccessLogColumns.Read(row, Layer7Columns.Read(row, new()
    {
        Name = row.Name,
        Mode = row.Mode,
        Binds = [.. row.Binds],
        DefaultBackend = row.DefaultBackend,
        Maxconn = row.Maxconn,
        TimeoutClientMs = row.TimeoutClientMs,
    })));

    private static BackendSpec ToSpec(BackendEntity row) => ProxyHeaderColumns.Read(row, Layer7Columns.Read(row, DataPlaneOptionColumns.Read(row, new()
    {
        Name = row.Name,
        Mode = row.Mode,
        Balance = row.Balance,
        HealthCheck = new()
        {
            Type = row.CheckType,
            Method = row.CheckMethod,
            Path = row.CheckPath,
            ExpectStatus = row.CheckExpectStatus,
            InterMs = row.CheckInterMs,
            Rise = row.CheckRise,
            Fall = row.CheckFall,
            TimeoutMs = row.CheckTimeoutMs,
        },
        Servers = row.Servers.OrderBy(s => s.Id).Select(ToSpec).ToArray(),
        BalanceParam = row.BalanceParam,
        UriLen = row.UriLen,
        UriDepth = row.UriDepth,
        UriPathOnly = row.UriPathOnly,
        UriWhole = row.UriWhole,
        HdrUseDomainOnly = row.HdrUseDomainOnly,
        RandomDraws = row.RandomDraws,
        HashType = row.HashType,
        HashFunction = row.HashFunction,
        HashAvalanche = row.HashAvalanche,
        TimeoutConnectMs = row.TimeoutConnectMs,
        TimeoutServerMs = row.TimeoutServerMs,
    })));

    private static ServerSpec ToSpec(ServerEntity row) => ProxyHeaderColumns.Read(row, CertificateColumns.Read(row, DataPlaneOptionColumns.Read(row, new()
    {
        Name = row.Name,
        Address = row.Address,
        Port = row.Port,
        Weight = row.Weight,
        Maxconn = row.Maxconn,
        State = row.State,
        Check = row.Check,
        Id = row.ServerId,
    }) with { Cookie = row.Cookie }));
}
