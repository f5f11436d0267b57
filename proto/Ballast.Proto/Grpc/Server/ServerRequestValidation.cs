using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;

namespace Ballast.Proto.Grpc;

/// <summary>Request checks and header parsing for server calls (gRPC PROTOCOL-HTTP2 "Requests").</summary>
internal static class ServerRequestValidation
{
    /// <summary>
    /// Accepts only HTTP/2 with a gRPC content-type (415 otherwise, 426 for HTTP/1.x), sets the response
    /// content-type and lifts Kestrel's body size and data-rate limits, which would kill long streams.
    /// </summary>
    public static bool TryAccept(HttpContext http)
    {
        if (!GrpcProtocol.IsGrpcContentType(http.Request.ContentType))
        {
            http.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return false;
        }

        if (!HttpProtocol.IsHttp2(http.Request.Protocol) && !HttpProtocol.IsHttp3(http.Request.Protocol))
        {
            http.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            http.Response.Headers.Connection = "Upgrade";
            http.Response.Headers.Upgrade = "HTTP/2";
            return false;
        }

        if (http.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } minRate)
        {
            minRate.MinDataRate = null;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } maxSize)
        {
            maxSize.MaxRequestBodySize = null;
        }

        http.Response.ContentType = GrpcProtocol.ContentType;
        http.Response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.AcceptedEncodings;
        return true;
    }

    public static string? GetEncoding(HttpRequest request)
    {
        var value = request.Headers[GrpcProtocol.EncodingHeader].ToString();
        return value.Length == 0 ? null : value.ToLowerInvariant();
    }

    public static TimeSpan? GetTimeout(HttpRequest request) =>
        GrpcProtocol.TryParseTimeout(request.Headers[GrpcProtocol.TimeoutHeader].ToString(), out var timeout) ? timeout : null;

    public static Metadata ReadMetadata(HttpRequest request, ILogger logger)
    {
        var metadata = new Metadata();
        foreach (var (name, values) in request.Headers)
        {
            foreach (var value in values)
            {
                if (value is not null && !metadata.AddReceived(name, value))
                {
                    logger.LogDebug("Ignoring malformed binary metadata '{Name}'.", name);
                }
            }
        }

        return metadata;
    }
}
