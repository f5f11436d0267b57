using System.Net;
using System.Net.Http;
using System.Net.Sockets;

namespace Ballast.DataPlane.Proxy;

/// <summary>
/// The <see cref="SocketsHttpHandler.ConnectCallback"/> of the shared client to servers: connects with the
/// <c>timeout connect</c> of the backend that sent the request (attached by <see cref="BackendTransformer"/>), so
/// the connect timeout is per backend as in HAProxy rather than node-wide. A timeout surfaces as a connection
/// failure (retried and redispatched like a refused connect).
/// </summary>
internal static class BackendConnector
{
    /// <summary>The request option carrying the backend's <c>timeout connect</c>.</summary>
    public static readonly HttpRequestOptionsKey<TimeSpan> ConnectTimeoutOption = new("ballast.timeout-connect");

    /// <summary>Creates the callback.</summary>
    /// <param name="fallback">Connect timeout of requests without the option.</param>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> Create(TimeSpan fallback) =>
        (context, cancellationToken) => ConnectAsync(context, fallback, cancellationToken);

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, TimeSpan fallback, CancellationToken cancellationToken)
    {
        var timeout = context.InitialRequestMessage.Options.TryGetValue(ConnectTimeoutOption, out var value) ? value : fallback;
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timer = new CancellationTokenSource(timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            var endPoint = context.DnsEndPoint;
            if (IPAddress.TryParse(endPoint.Host, out var ip))
            {
                await socket.ConnectAsync(new IPEndPoint(ip, endPoint.Port), linked.Token).ConfigureAwait(false);
            }
            else
            {
                await socket.ConnectAsync(endPoint, linked.Token).ConfigureAwait(false);
            }

            Logging.StreamLog.RecordConnect(context.InitialRequestMessage, start); // Tc of a new connection
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new SocketException((int)SocketError.TimedOut);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
