using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Security.Authentication;
using Ballast.DataPlane.Config;

namespace Ballast.DataPlane.Tls;

/// <summary>
/// The shared client to mode http servers with <c>ssl</c>: requests keep their <c>http://address:port/</c>
/// destination, and the <see cref="SocketsHttpHandler.ConnectCallback"/> connects (with the backend's
/// <c>timeout connect</c>, <see cref="Proxy.BackendConnector"/>) then runs the TLS handshake with the settings of that
/// address in the current model (<see cref="ServerTls"/>: SNI, <c>verify</c>, <c>ca-file</c>). Being a separate
/// pool, a server switched between plain and <c>ssl</c> never reuses a connection of the other kind. No ALPN is
/// offered, so servers are spoken to in HTTP/1.1 (as HAProxy without server <c>alpn</c>). A failed handshake is a
/// connection failure (<see cref="HttpRequestError.SecureConnectionError"/>): retried, then 503 and <c>econ</c>.
/// </summary>
internal static class ServerTlsConnector
{
    /// <summary>Creates the client.</summary>
    /// <param name="holder">The served model, whose <see cref="TlsModel.ServersByEndpoint"/> gives each address's settings.</param>
    /// <param name="connectTimeout">Connect timeout of requests that do not carry their backend's <c>timeout connect</c>.</param>
    public static HttpMessageInvoker CreateInvoker(RuntimeModelHolder holder, TimeSpan connectTimeout)
    {
        var connect = Proxy.BackendConnector.Create(connectTimeout);
        return new HttpMessageInvoker(
            new SocketsHttpHandler
            {
                UseProxy = false,
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.None,
                UseCookies = false,
                ActivityHeadersPropagator = null,
                ConnectCallback = (context, cancellationToken) => ConnectAsync(holder, connect, context, cancellationToken),
                PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            },
            disposeHandler: true);
    }

    /// <summary>Runs the client handshake of <paramref name="settings"/> on a connected stream (owned: disposed on failure).</summary>
    /// <param name="stream">The connected server stream (after any PROXY header).</param>
    /// <param name="settings">The server's TLS settings.</param>
    /// <param name="cancellationToken">Cancels the handshake.</param>
    /// <returns>The authenticated stream.</returns>
    /// <exception cref="AuthenticationException">The handshake or the certificate verification failed.</exception>
    public static async ValueTask<Stream> AuthenticateAsync(Stream stream, ServerTls settings, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(settings.CreateOptions(), cancellationToken).ConfigureAwait(false);
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async ValueTask<Stream> ConnectAsync(
        RuntimeModelHolder holder,
        Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> connect,
        SocketsHttpConnectionContext context,
        CancellationToken cancellationToken)
    {
        var endPoint = context.DnsEndPoint;
        if (!holder.Current.Tls.ServersByEndpoint.TryGetValue(TlsModel.EndpointKey(endPoint.Host, endPoint.Port), out var settings))
        {
            throw new AuthenticationException($"no ssl server at {endPoint.Host}:{endPoint.Port} in the served configuration");
        }

        var stream = await connect(context, cancellationToken).ConfigureAwait(false);
        return await AuthenticateAsync(stream, settings, cancellationToken).ConfigureAwait(false);
    }
}
