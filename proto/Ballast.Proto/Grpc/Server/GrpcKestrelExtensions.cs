using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Ballast.Proto.Grpc;

/// <summary>
/// Kestrel listeners for gRPC. Cleartext gRPC (h2c, prior knowledge) needs an endpoint with
/// <see cref="HttpProtocols.Http2"/> only: with <c>Http1AndHttp2</c> and no TLS Kestrel answers HTTP/2 prefaces
/// with GOAWAY HTTP_1_1_REQUIRED. With TLS (<c>listen.UseHttps(...)</c> in <c>configure</c>) ALPN negotiates h2.
/// </summary>
public static class GrpcKestrelExtensions
{
    /// <summary>Listens on <paramref name="endPoint"/> with HTTP/2 only (port 0 picks a free port).</summary>
    /// <param name="options">Kestrel options.</param>
    /// <param name="endPoint">Address and port.</param>
    /// <param name="configure">Further settings, e.g. <c>UseHttps</c>; applied after the protocol is set.</param>
    public static void ListenGrpc(this KestrelServerOptions options, IPEndPoint endPoint, Action<ListenOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(endPoint);
        options.Listen(endPoint, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            configure?.Invoke(listen);
        });
    }
}
