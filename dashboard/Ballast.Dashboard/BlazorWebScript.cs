using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Ballast.Dashboard;

/// <summary>
/// The Blazor client script (<c>_framework/blazor.web.js</c>), embedded at build time from the .NET 9 ASP.NET Core
/// runtime pack (see build/BlazorWebScript.targets) because .NET 10's copy is not available here.
/// </summary>
internal static class BlazorWebScript
{
    /// <summary>Logical name of the embedded resource.</summary>
    public const string ResourceName = "Ballast.Dashboard.blazor.web.js";

    /// <summary>Path the script is served at.</summary>
    public const string RequestPath = "/_framework/blazor.web.js";

    private static readonly Lazy<(byte[] Content, EntityTagHeaderValue ETag)> s_script = new(Load);

    /// <summary>The script's bytes.</summary>
    public static byte[] Content => s_script.Value.Content;

    /// <summary>Serves the script, with an ETag so browsers revalidate cheaply.</summary>
    public static IResult Serve(HttpContext context)
    {
        var (content, etag) = s_script.Value;
        context.Response.Headers.CacheControl = "no-cache";
        return Results.File(content, "text/javascript; charset=utf-8", entityTag: etag);
    }

    private static (byte[], EntityTagHeaderValue) Load()
    {
        using var stream = typeof(BlazorWebScript).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing; rebuild Ballast.Dashboard.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var content = buffer.ToArray();
        var hash = Convert.ToHexString(SHA256.HashData(content).AsSpan(0, 12)).ToLowerInvariant();
        return (content, new EntityTagHeaderValue($"\"{hash}\""));
    }
}
