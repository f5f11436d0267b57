using Ballast.ControlPlane.Declarative;
using Ballast.ControlPlane.Model;
using Ballast.ControlPlane.Store;
using Ballast.HaproxyConfig.Export;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Api;

/// <summary><c>GET /api/v1/export/haproxy</c> and <c>GET /api/v1/export/native</c>.</summary>
internal static class ExportEndpoints
{
    private const string PlainText = "text/plain; charset=utf-8";

    /// <summary>Maps the export endpoints.</summary>
    public static void MapExportEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/export/haproxy", async (long? version, WorkingConfigStore working, VersionStore versions, CancellationToken ct) =>
            {
                var config = await LoadAsync(version, working, versions, ct);
                return config is null ? ApiResults.NotFound($"version {version}") : TypedResults.Text(HaproxyExporter.Export(config), PlainText);
            })
            .WithTags("Import and export").WithName("ExportHaproxy")
            .WithSummary("The working configuration, or published version ?version=N, as a haproxy.cfg for HAProxy 2.6; ballastctl export haproxy [--version N].")
            .Produces<string>(StatusCodes.Status200OK, "text/plain").Produces<ErrorResponse>(StatusCodes.Status404NotFound);

        api.MapGet("/export/native", async (long? version, WorkingConfigStore working, VersionStore versions, CancellationToken ct) =>
            {
                if (version is null)
                {
                    return TypedResults.Text(NativeFormat.Write(await working.GetConfigAsync(ct)), NativeFormat.ContentType);
                }

                var config = await LoadAsync(version, working, versions, ct);
                return config is null
                    ? ApiResults.NotFound($"version {version}")
                    : TypedResults.Text(NativeFormat.Write(SpecMapping.FromProto(config)), NativeFormat.ContentType);
            })
            .WithTags("Import and export").WithName("ExportNative")
            .WithSummary("The working configuration, or published version ?version=N, as a native declarative file (input of POST /apply); ballastctl export native [--version N].")
            .Produces<ConfigSpec>().Produces<ErrorResponse>(StatusCodes.Status404NotFound);
    }

    // The working configuration (version null) or a published version; null when the version does not exist.
    private static async Task<Config?> LoadAsync(long? version, WorkingConfigStore working, VersionStore versions, CancellationToken ct) =>
        version is { } number
            ? (await versions.GetAsync(number, ct))?.Config
            : await working.GetConfigMessageAsync([], ct);
}
