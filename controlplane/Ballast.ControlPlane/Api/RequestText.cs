using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace Ballast.ControlPlane.Api;

/// <summary>Reads a whole request body as UTF-8 text with a size limit (uploaded haproxy.cfg and native files).</summary>
internal static class RequestText
{
    /// <summary>Largest accepted body: 16 MiB.</summary>
    public const long MaxBytes = 16 * 1024 * 1024;

    /// <summary>The body as text; a byte-order mark is honoured.</summary>
    /// <exception cref="BadHttpRequestException">413 when the body is larger than <see cref="MaxBytes"/>.</exception>
    public static async Task<string> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            throw TooLarge();
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBytes;
        }

        using var reader = new StreamReader(request.Body, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        try
        {
            return await reader.ReadToEndAsync(cancellationToken);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge();
        }
    }

    private static BadHttpRequestException TooLarge() =>
        new($"the body must be at most {MaxBytes / (1024 * 1024)} MiB", StatusCodes.Status413PayloadTooLarge);
}
