using Ballast.ControlPlane.Hosting;

namespace Ballast.ControlPlane.Api;

/// <summary>Endpoint metadata: the endpoint needs <c>Authorization: Bearer &lt;admin token&gt;</c>.</summary>
internal sealed class RequireAdminToken
{
    /// <summary>The marker.</summary>
    public static readonly RequireAdminToken Instance = new();

    private RequireAdminToken()
    {
    }
}

/// <summary>
/// Checks the bearer token of endpoints marked <see cref="RequireAdminToken"/> after routing and before request
/// binding, so an unauthenticated request always gets 401, whatever its body.
/// </summary>
internal sealed class AdminTokenMiddleware(RequestDelegate next, AdminToken token)
{
    /// <summary>Answers 401 unless the request carries the admin token.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<RequireAdminToken>() is null || token.Matches(ReadBearer(context.Request)))
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return context.Response.WriteAsJsonAsync(
            ErrorResponse.One("request", "Authorization", "missing or invalid bearer token (Authorization: Bearer <admin token>)"),
            context.RequestAborted);
    }

    private static string? ReadBearer(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        return header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? header[prefix.Length..].Trim() : null;
    }
}
