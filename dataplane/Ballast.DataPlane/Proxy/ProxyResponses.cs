using System.Text;
using Microsoft.AspNetCore.Http;

namespace Ballast.DataPlane.Proxy;

/// <summary>HAProxy's built-in error responses (its default <c>errorfile</c> pages), byte for byte in the body.</summary>
internal static class ProxyResponses
{
    private static readonly byte[] ServiceUnavailableBody = Encoding.ASCII.GetBytes(
        "<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n");

    private static readonly byte[] BadGatewayBody = Encoding.ASCII.GetBytes(
        "<html><body><h1>502 Bad Gateway</h1>\nThe server returned an invalid or incomplete response.\n</body></html>\n");

    private static readonly byte[] GatewayTimeoutBody = Encoding.ASCII.GetBytes(
        "<html><body><h1>504 Gateway Time-out</h1>\nThe server didn't respond in time.\n</body></html>\n");

    /// <summary>Writes HAProxy's 503 page: no server is available (or all connection attempts failed).</summary>
    /// <param name="context">The request, whose response has not started.</param>
    public static Task WriteServiceUnavailableAsync(HttpContext context) =>
        WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ServiceUnavailableBody);

    /// <summary>Writes HAProxy's page for 502 or 504, or just the status for other codes.</summary>
    /// <param name="context">The request, whose response has not started.</param>
    /// <param name="statusCode">The status chosen by the forwarder.</param>
    public static Task WriteErrorAsync(HttpContext context, int statusCode) => statusCode switch
    {
        StatusCodes.Status502BadGateway => WriteAsync(context, statusCode, BadGatewayBody),
        StatusCodes.Status503ServiceUnavailable => WriteAsync(context, statusCode, ServiceUnavailableBody),
        StatusCodes.Status504GatewayTimeout => WriteAsync(context, statusCode, GatewayTimeoutBody),
        _ => Task.CompletedTask,
    };

    private static Task WriteAsync(HttpContext context, int statusCode, byte[] body)
    {
        var response = context.Response;
        response.Clear();
        response.StatusCode = statusCode;
        response.ContentType = "text/html";
        response.Headers.CacheControl = "no-cache";
        response.ContentLength = body.Length;
        return HttpMethods.IsHead(context.Request.Method)
            ? Task.CompletedTask
            : response.Body.WriteAsync(body, 0, body.Length, context.RequestAborted);
    }
}
