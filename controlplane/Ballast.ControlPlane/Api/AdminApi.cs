namespace Ballast.ControlPlane.Api;

/// <summary>The admin REST API under <c>/api/v1</c>, bearer-token protected.</summary>
internal static class AdminApi
{
    /// <summary>Maps every admin API endpoint.</summary>
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1").WithMetadata(RequireAdminToken.Instance);
        api.MapFrontendEndpoints();
        api.MapBackendEndpoints();
        api.MapServerEndpoints();
        api.MapCertificateEndpoints();
        api.MapConfigEndpoints();
        api.MapFleetEndpoints();
        Runtime.RuntimeEndpoints.MapRuntimeEndpoints(api);
        api.MapAuditEndpoints();
        api.MapImportEndpoints();
        api.MapExportEndpoints();
        api.MapDeclarativeEndpoints();
        return endpoints;
    }
}
