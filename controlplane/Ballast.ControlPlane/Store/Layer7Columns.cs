using System.Text.Json;
using Ballast.ControlPlane.Model;
using Microsoft.EntityFrameworkCore;

namespace Ballast.ControlPlane.Store;

/// <summary>
/// Storage of the layer-7 settings: one JSON column per proxy table (<c>Frontends.L7Json</c>, <c>Backends.L7Json</c>)
/// holding the HAProxy text of <c>acls</c>, <c>useBackends</c>, <c>httpRequest</c>, <c>httpResponse</c>,
/// <c>stickTable</c> (and for backends <c>cookie</c>, <c>stickOn</c>), written in canonical form, plus
/// <c>Servers.Cookie</c>. Added on start to databases created before them, idempotently, as
/// <see cref="DataPlaneOptionColumns"/> does (independent of the schema version number).
/// </summary>
internal static class Layer7Columns
{
    // Empty reads as "{}" (no braces in the DDL: ExecuteSqlRaw treats them as format placeholders).
    private static readonly (string Table, string Column, string Definition)[] Columns =
    [
        ("Frontends", "L7Json", "TEXT NOT NULL DEFAULT ''"),
        ("Backends", "L7Json", "TEXT NOT NULL DEFAULT ''"),
        ("Servers", "Cookie", "TEXT NOT NULL DEFAULT ''"),
    ];

    private static readonly JsonSerializerOptions Json = ModelJson.Create();

    /// <summary>Adds the columns a database lacks.</summary>
    /// <param name="db">The context.</param>
    /// <param name="cancellationToken">Cancels the upgrade.</param>
    public static Task AddMissingAsync(BallastDbContext db, CancellationToken cancellationToken) =>
        SchemaColumns.AddMissingAsync(db, Columns, cancellationToken);

    /// <summary>Writes the layer-7 settings of <paramref name="spec"/> to its row.</summary>
    public static void Apply(FrontendEntity row, FrontendSpec spec)
    {
        var canonical = Layer7Mapping.Canonical(spec);
        row.L7Json = JsonSerializer.Serialize(
            new FrontendLayer7(canonical.Acls, canonical.UseBackends, canonical.HttpRequest, canonical.HttpResponse, canonical.StickTable), Json);
    }

    /// <summary>Writes the layer-7 settings of <paramref name="spec"/> to its row.</summary>
    public static void Apply(BackendEntity row, BackendSpec spec)
    {
        var c = Layer7Mapping.Canonical(spec);
        row.L7Json = JsonSerializer.Serialize(new BackendLayer7(c.Acls, c.HttpRequest, c.HttpResponse, c.Cookie, c.StickTable, c.StickOn), Json);
    }

    /// <summary>Adds the layer-7 settings stored in <paramref name="row"/> to <paramref name="spec"/>.</summary>
    public static FrontendSpec Read(FrontendEntity row, FrontendSpec spec)
    {
        var l7 = JsonSerializer.Deserialize<FrontendLayer7>(string.IsNullOrEmpty(row.L7Json) ? "{}" : row.L7Json, Json) ?? new FrontendLayer7();
        return spec with
        {
            Acls = l7.Acls ?? [],
            UseBackends = l7.UseBackends ?? [],
            HttpRequest = l7.HttpRequest ?? [],
            HttpResponse = l7.HttpResponse ?? [],
            StickTable = l7.StickTable ?? string.Empty,
        };
    }

    /// <summary>Adds the layer-7 settings stored in <paramref name="row"/> to <paramref name="spec"/>.</summary>
    public static BackendSpec Read(BackendEntity row, BackendSpec spec)
    {
        var l7 = JsonSerializer.Deserialize<BackendLayer7>(string.IsNullOrEmpty(row.L7Json) ? "{}" : row.L7Json, Json) ?? new BackendLayer7();
        return spec with
        {
            Acls = l7.Acls ?? [],
            HttpRequest = l7.HttpRequest ?? [],
            HttpResponse = l7.HttpResponse ?? [],
            Cookie = l7.Cookie ?? string.Empty,
            StickTable = l7.StickTable ?? string.Empty,
            StickOn = l7.StickOn ?? string.Empty,
        };
    }

    /// <summary>The JSON of <c>Frontends.L7Json</c>.</summary>
    /// <param name="Acls">acl lines.</param>
    /// <param name="UseBackends">use_backend rules.</param>
    /// <param name="HttpRequest">http-request lines.</param>
    /// <param name="HttpResponse">http-response lines.</param>
    /// <param name="StickTable">stick-table text.</param>
    private sealed record FrontendLayer7(
        IReadOnlyList<string>? Acls = null,
        IReadOnlyList<UseBackendSpec>? UseBackends = null,
        IReadOnlyList<string>? HttpRequest = null,
        IReadOnlyList<string>? HttpResponse = null,
        string? StickTable = null);

    /// <summary>The JSON of <c>Backends.L7Json</c>.</summary>
    /// <param name="Acls">acl lines.</param>
    /// <param name="HttpRequest">http-request lines.</param>
    /// <param name="HttpResponse">http-response lines.</param>
    /// <param name="Cookie">cookie text.</param>
    /// <param name="StickTable">stick-table text.</param>
    /// <param name="StickOn">stick on pattern.</param>
    private sealed record BackendLayer7(
        IReadOnlyList<string>? Acls = null,
        IReadOnlyList<string>? HttpRequest = null,
        IReadOnlyList<string>? HttpResponse = null,
        string? Cookie = null,
        string? StickTable = null,
        string? StickOn = null);
}
