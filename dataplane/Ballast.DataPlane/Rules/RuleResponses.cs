using System.Collections.Frozen;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Ballast.DataPlane.Rules;

/// <summary>
/// HAProxy 2.6's built-in error pages (<c>http_err_msgs</c>), answered by <c>http-request deny</c>; the statuses
/// <c>deny_status</c> accepts are exactly those HAProxy has a page for.
/// </summary>
internal static class RuleResponses
{
    /// <summary>Bodies by status.</summary>
    public static readonly FrozenDictionary<int, byte[]> Pages = new Dictionary<int, string>
    {
        [200] = "<html><body><h1>200 OK</h1>\nService ready.\n</body></html>\n",
        [400] = "<html><body><h1>400 Bad request</h1>\nYour browser sent an invalid request.\n</body></html>\n",
        [401] = "<html><body><h1>401 Unauthorized</h1>\nYou need a valid user and password to access this content.\n</body></html>\n",
        [403] = "<html><body><h1>403 Forbidden</h1>\nRequest forbidden by administrative rules.\n</body></html>\n",
        [404] = "<html><body><h1>404 Not Found</h1>\nThe resource could not be found.\n</body></html>\n",
        [405] = "<html><body><h1>405 Method Not Allowed</h1>\nA request was made of a resource using a request method not supported by that resource\n</body></html>\n",
        [407] = "<html><body><h1>407 Unauthorized</h1>\nYou need a valid user and password to access this content.\n</body></html>\n",
        [408] = "<html><body><h1>408 Request Time-out</h1>\nYour browser didn't send a complete request in time.\n</body></html>\n",
        [410] = "<html><body><h1>410 Gone</h1>\nThe resource is no longer available and will not be available again.\n</body></html>\n",
        [413] = "<html><body><h1>413 Payload Too Large</h1>\nThe request entity exceeds the maximum allowed.\n</body></html>\n",
        [425] = "<html><body><h1>425 Too Early</h1>\nYour browser sent early data.\n</body></html>\n",
        [429] = "<html><body><h1>429 Too Many Requests</h1>\nYou have sent too many requests in a given amount of time.\n</body></html>\n",
        [500] = "<html><body><h1>500 Internal Server Error</h1>\nAn internal server error occurred.\n</body></html>\n",
        [501] = "<html><body><h1>501 Not Implemented</h1>\n.The server does not support the functionality required to fulfill the request.\n</body></html>\n",
        [502] = "<html><body><h1>502 Bad Gateway</h1>\nThe server returned an invalid or incomplete response.\n</body></html>\n",
        [503] = "<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n",
        [504] = "<html><body><h1>504 Gateway Time-out</h1>\nThe server didn't respond in time.\n</body></html>\n",
    }.ToFrozenDictionary(p => p.Key, p => Encoding.ASCII.GetBytes(p.Value));

    /// <summary>Writes the page of <paramref name="status"/> (text/html, no-cache).</summary>
    /// <param name="context">The request, whose response has not started.</param>
    /// <param name="status">A status of <see cref="Pages"/>.</param>
    public static Task WriteErrorPageAsync(HttpContext context, int status)
    {
        var response = context.Response;
        var body = Pages.TryGetValue(status, out var page) ? page : [];
        response.StatusCode = status;
        response.ContentType = "text/html";
        response.Headers.CacheControl = "no-cache";
        response.ContentLength = body.Length;
        return body.Length == 0 || HttpMethods.IsHead(context.Request.Method)
            ? Task.CompletedTask
            : response.Body.WriteAsync(body, 0, body.Length, context.RequestAborted);
    }
}
