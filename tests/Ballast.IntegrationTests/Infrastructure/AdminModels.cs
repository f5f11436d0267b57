using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ballast.IntegrationTests.Infrastructure;

// JSON shapes of the control plane's admin API (/api/v1), camelCase.

internal sealed record HealthCheckDto(
    string Type = "http",
    string Method = "GET",
    string Path = "/health",
    int ExpectStatus = 200,
    int InterMs = 2000,
    int Rise = 2,
    int Fall = 3,
    int TimeoutMs = 1000);

internal sealed record ServerDto(
    string Name,
    string Address,
    int Port,
    int Weight = 1,
    int Maxconn = 0,
    string State = "ready",
    bool Check = true);

internal sealed record BackendDto(
    string Name,
    List<ServerDto> Servers,
    HealthCheckDto? HealthCheck = null,
    string Mode = "http",
    string Balance = "roundrobin");

internal sealed record FrontendDto(
    string Name,
    List<string> Binds,
    string DefaultBackend,
    string Mode = "http",
    int Maxconn = 0);

internal sealed record PublishResult(long Version);

internal sealed record NodeDto(
    string NodeId,
    long AppliedVersion,
    string Status,
    string? LastError,
    bool Connected,
    DateTimeOffset? LastSeen);

internal sealed record VersionDto(long Version, string? Author, string? Message, DateTimeOffset? CreatedAt);

/// <summary>One row of <c>GET /api/v1/stats</c> (HAProxy <c>show stat</c> field names); unknown fields are kept.</summary>
internal sealed record StatRowDto(string Pxname, string Svname, string? Status, string? CheckStatus)
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }

    public override string ToString() => $"{Pxname}/{Svname} status={Status} check={CheckStatus}";
}
