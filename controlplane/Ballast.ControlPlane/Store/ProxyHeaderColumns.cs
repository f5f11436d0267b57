using Ballast.ControlPlane.Model;
using Ballast.Proto.V1;
using Microsoft.EntityFrameworkCore;

namespace Ballast.ControlPlane.Store;

/// <summary>
/// Columns of the PROXY protocol, forwarding-header and http/tunnel timeout settings: frontend
/// <c>TimeoutHttpRequestMs</c>, <c>TimeoutHttpKeepAliveMs</c>, <c>Forwardfor</c>, <c>ForwardforExcept</c>,
/// <c>ForwardforHeader</c>; backend <c>TimeoutTunnelMs</c>, <c>Forwarded</c>, <c>ForwardedParams</c>; server
/// <c>SendProxy</c> (HAProxy word). Added on start to databases created before them, idempotently (each column only
/// when missing), with values meaning "not set", as <see cref="DataPlaneOptionColumns"/> does.
/// </summary>
internal static class ProxyHeaderColumns
{
    private static readonly (string Table, string Column, string Definition)[] Columns =
    [
        ("Frontends", "TimeoutHttpRequestMs", "INTEGER NOT NULL DEFAULT 0"),
        ("Frontends", "TimeoutHttpKeepAliveMs", "INTEGER NOT NULL DEFAULT 0"),
        ("Frontends", "Forwardfor", "INTEGER NOT NULL DEFAULT 0"),
        ("Frontends", "ForwardforExcept", "TEXT NOT NULL DEFAULT ''"),
        ("Frontends", "ForwardforHeader", "TEXT NOT NULL DEFAULT ''"),
        ("Backends", "TimeoutTunnelMs", "INTEGER NOT NULL DEFAULT 0"),
        ("Backends", "Forwarded", "INTEGER NOT NULL DEFAULT 0"),
        ("Backends", "ForwardedParams", "TEXT NOT NULL DEFAULT ''"),
        ("Servers", "SendProxy", "TEXT NOT NULL DEFAULT 'none'"),
    ];

    /// <summary>Adds the columns a database lacks.</summary>
    /// <param name="db">The context.</param>
    /// <param name="cancellationToken">Cancels the upgrade.</param>
    public static Task AddMissingAsync(BallastDbContext db, CancellationToken cancellationToken) =>
        SchemaColumns.AddMissingAsync(db, Columns, cancellationToken);

    /// <summary>Writes the settings of <paramref name="spec"/> to its row.</summary>
    public static void Apply(FrontendEntity row, FrontendSpec spec)
    {
        row.TimeoutHttpRequestMs = spec.TimeoutHttpRequestMs;
        row.TimeoutHttpKeepAliveMs = spec.TimeoutHttpKeepAliveMs;
        row.Forwardfor = spec.Forwardfor;
        row.ForwardforExcept = spec.ForwardforExcept ?? string.Empty;
        row.ForwardforHeader = spec.ForwardforHeader ?? string.Empty;
    }

    /// <summary>Writes the settings of <paramref name="spec"/> to its row.</summary>
    public static void Apply(BackendEntity row, BackendSpec spec)
    {
        row.TimeoutTunnelMs = spec.TimeoutTunnelMs;
        row.Forwarded = spec.Forwarded;
        row.ForwardedParams = string.Join(' ', spec.ForwardedParams ?? []);
    }

    /// <summary>Writes the settings of <paramref name="spec"/> to its row.</summary>
    public static void Apply(ServerEntity row, ServerSpec spec) => row.SendProxy = HaproxyWords.ToWord(spec.SendProxy);

    /// <summary>Adds the settings stored in <paramref name="row"/> to <paramref name="spec"/>.</summary>
    public static FrontendSpec Read(FrontendEntity row, FrontendSpec spec) => spec with
    {
        TimeoutHttpRequestMs = row.TimeoutHttpRequestMs,
        TimeoutHttpKeepAliveMs = row.TimeoutHttpKeepAliveMs,
        Forwardfor = row.Forwardfor,
        ForwardforExcept = row.ForwardforExcept,
        ForwardforHeader = row.ForwardforHeader,
    };

    /// <summary>Adds the settings stored in <paramref name="row"/> to <paramref name="spec"/>.</summary>
    public static BackendSpec Read(BackendEntity row, BackendSpec spec) => spec with
    {
        TimeoutTunnelMs = row.TimeoutTunnelMs,
        Forwarded = row.Forwarded,
        ForwardedParams = row.ForwardedParams.Split(' ', StringSplitOptions.RemoveEmptyEntries),
    };

    /// <summary>Adds the settings stored in <paramref name="row"/> to <paramref name="spec"/>.</summary>
    public static ServerSpec Read(ServerEntity row, ServerSpec spec) => spec with
    {
        SendProxy = HaproxyWords.TryParse<ProxyProtocolVersion>(row.SendProxy, out var version) ? version : ProxyProtocolVersion.ProxyProtocolNone,
    };
}
