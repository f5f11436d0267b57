using System.Text;

namespace Ballast.DataPlane.Proxy.FastPath;

/// <summary>
/// HAProxy's built-in error responses (its default <c>errorfile</c> pages, the bodies byte for byte as
/// <see cref="ProxyResponses"/>), pre-encoded: status line, <c>content-length</c>, <c>cache-control: no-cache</c>,
/// <c>content-type: text/html</c>, and <c>connection: close</c> for the errors after which the connection closes
/// (400, 408, 413, 431, 501).
/// </summary>
internal static class FastPathResponses
{
    private static readonly Dictionary<int, (byte[] Head, byte[] Body)> Pages = new()
    {
        [400] = Page(400, "Bad request", "Your browser sent an invalid request.", close: true),
        [408] = Page(408, "Request Time-out", "Your browser didn't send a complete request in time.", close: true),
        [413] = Page(413, "Payload Too Large", "The request entity exceeds the maximum allowed.", close: true),
        [431] = Page(431, "Request Header Fields Too Large", "Your browser sent a request header too large.", close: true),
        [501] = Page(501, "Not Implemented", "The server does not support the functionality required to fulfill the request.", close: true),
        [502] = Page(502, "Bad Gateway", "The server returned an invalid or incomplete response.", close: false),
        [503] = Page(503, "Service Unavailable", "No server is available to handle this request.", close: false),
        [504] = Page(504, "Gateway Time-out", "The server didn't respond in time.", close: false),
    };

    /// <summary>The head and body of the page of <paramref name="status"/> (one of 400 408 413 431 501 502 503 504).</summary>
    /// <param name="status">The status.</param>
    /// <exception cref="KeyNotFoundException">No page for that status.</exception>
    public static (byte[] Head, byte[] Body) Get(int status) => Pages[status];

    private static (byte[] Head, byte[] Body) Page(int status, string reason, string text, bool close)
    {
        var body = Encoding.ASCII.GetBytes($"<html><body><h1>{status} {reason}</h1>\n{text}\n</body></html>\n");
        var head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status} {reason}\r\ncontent-length: {body.Length}\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n"
            + (close ? "connection: close\r\n" : string.Empty) + "\r\n");
        return (head, body);
    }
}
