using System.Text;

namespace Ballast.ControlPlane.Tests.TestSupport;

/// <summary>Requests with raw text bodies (haproxy.cfg, native JSON files).</summary>
internal static class HttpExtensions
{
    public static Task<HttpResponseMessage> PostTextAsync(this HttpClient client, string path, string text, string mediaType = "text/plain") =>
        client.PostAsync(path, new StringContent(text, Encoding.UTF8, mediaType));
}
