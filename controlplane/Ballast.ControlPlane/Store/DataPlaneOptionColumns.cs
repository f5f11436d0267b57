using Ballast.ControlPlane.Model;
using Ballast.Proto.V1;
using Microsoft.EntityFrameworkCore;

namespace Ballast.ControlPlane.Store;

/// <summary>
/// Columns of the server, check, queue, retry and header options (issue 5: <c>backup</c>, <c>slowstart</c>, check
/// <c>port</c>/<c>addr</c>, <c>fastinter</c>/<c>downinter</c>, <c>http-check expect</c>, <c>option allbackups</c>,
/// <c>timeout queue</c>, <c>retries</c>, <c>retry-on</c>, <c>option redispatch</c>, <c>option forwardfor</c>, passive
/// health <c>observe</c>/<c>error-limit</c>/<c>on-error</c>):
/// added on start to databases created before them, idempotently (each column is added only when missing, so this
/// step does not depend on, or conflict with, the schema version number), with values meaning "HAProxy's default".
/// </summary>
internal static class DataPlaneOptionColumns
{
    private static readonly (string Table, string Column, string Definition)[] Columns =
    [
        ("Backends", "Allbackups", "INTEGER NOT NULL DEFAULT 0"),
        ("Backends", "TimeoutQueueMs", "INTEGER NOT NULL DEFAULT 0"),
        ("Backends", "Retries", "INTEGER NULL"),
        ("Backends", "RetryOn", "TEXT NOT NULL DEFAULT '[]'"),
        ("Backends", "Redispatch", "INTEGER NULL"),
        ("Backends", "Forwardfor", "INTEGER NOT NULL DEFAULT 0"),
        ("Backends", "ForwardforExcept", "TEXT NOT NULL DEFAULT ''"),
        ("Backends", "ForwardforHeader", "TEXT NOT NULL DEFAULT ''"),
        ("Backends", "CheckFastinterMs", "INTEGER NOT NULL DEFAULT 0"),
        ("Backends", "CheckDowninterMs", "INTEGER NOT NULL DEFAULT 0"),
        ("Backends", "CheckExpectKind", "TEXT NOT NULL DEFAULT 'default'"),
        ("Backends", "CheckExpectValue", "TEXT NOT NULL DEFAULT ''"),
        ("Servers", "Backup", "INTEGER NOT NULL DEFAULT 0"),
        ("Servers", "SlowstartMs", "INTEGER NOT NULL DEFAULT 0"),
        ("Servers", "Maxqueue", "INTEGER NOT NULL DEFAULT 0"),
        ("Servers", "CheckPort", "INTEGER NOT NULL DEFAULT 0"),
        ("Servers", "CheckAddr", "TEXT NOT NULL DEFAULT ''"),
        ("Servers", "Observe", "TEXT NOT NULL DEFAULT 'none'"),
        ("Servers", "ErrorLimit", "INTEGER NOT NULL DEFAULT 0"),
        ("Servers", "OnError", "TEXT NOT NULL DEFAULT 'fail-check'"),
    ];

    /// <summary>Adds the columns a database lacks.</summary>
    /// <param name="db">The context.</param>
    /// <param name="cancellationToken">Cancels the upgrade.</param>
    public static Task AddMissingAsync(BallastDbContext db, CancellationToken cancellationToken) =>
        SchemaColumns.AddMissingAsync(db, Columns, cancellationToken);

    /// <summary>Writes the options of <paramref name="spec"/> to its row.</summary>
    public static void Apply(BackendEntity row, BackendSpec spec)
    {
        row.Allbackups = spec.Allbackups;
        row.TimeoutQueueMs = spec.TimeoutQueueMs;
        row.Retries = spec.Retries;
        row.RetryOn = [.. spec.RetryOn ?? []];
        row.Redispatch = spec.Redispatch;
        row.Forwardfor = spec.Forwardfor;
        row.ForwardforExcept = spec.ForwardforExcept ?? string.Empty;
        row.ForwardforHeader = spec.ForwardforHeader ?? string.Empty;
        row.CheckFastinterMs = spec.HealthCheck.FastinterMs;
        row.CheckDowninterMs = spec.HealthCheck.DowninterMs;
        row.CheckExpectKind = HaproxyWords.ToWord(spec.HealthCheck.ExpectKind);
        row.CheckExpectValue = spec.HealthCheck.ExpectValue ?? string.Empty;
    }

    /// <summary>Writes the options of <paramref name="spec"/> to its row.</summary>
    public static void Apply(ServerEntity row, ServerSpec spec)
    {
        row.Backup = spec.Backup;
        row.SlowstartMs = spec.SlowstartMs;
        row.Maxqueue = spec.Maxqueue;
        row.CheckPort = spec.CheckPort;
        row.CheckAddr = spec.CheckAddr ?? string.Empty;
        row.Observe = HaproxyWords.ToWord(spec.Observe);
        row.ErrorLimit = spec.ErrorLimit;
        row.OnError = HaproxyWords.ToWord(spec.OnError);
    }

    /// <summary>Adds the options stored in <paramref name="row"/> to <paramref name="spec"/>.</summary>
    public static BackendSpec Read(BackendEntity row, BackendSpec spec) => spec with
    {
        Allbackups = row.Allbackups,
        TimeoutQueueMs = row.TimeoutQueueMs,
        Retries = row.Retries,
        RetryOn = [.. row.RetryOn],
        Redispatch = row.Redispatch,
        Forwardfor = row.Forwardfor,
        ForwardforExcept = row.ForwardforExcept,
        ForwardforHeader = row.ForwardforHeader,
        HealthCheck = spec.HealthCheck with
        {
            FastinterMs = row.CheckFastinterMs,
            DowninterMs = row.CheckDowninterMs,
            ExpectKind = HaproxyWords.TryParse<HttpCheckExpect>(row.CheckExpectKind, out var kind) ? kind : HttpCheckExpect.Default,
            ExpectValue = row.CheckExpectValue,
        },
    };

    /// <summary>Adds the options stored in <paramref name="row"/> to <paramref name="spec"/>.</summary>
    public static ServerSpec Read(ServerEntity row, ServerSpec spec) => spec with
    {
        Backup = row.Backup,
        SlowstartMs = row.SlowstartMs,
        Maxqueue = row.Maxqueue,
        CheckPort = row.CheckPort,
        CheckAddr = row.CheckAddr,
        Observe = HaproxyWords.TryParse<Observe>(row.Observe, out var observe) ? observe : Observe.None,
        ErrorLimit = row.ErrorLimit,
        OnError = HaproxyWords.TryParse<OnError>(row.OnError, out var onError) ? onError : OnError.FailCheck,
    };
}
