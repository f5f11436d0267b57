using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.ProxyProtocol;

/// <summary>
/// Server connections of <c>send-proxy</c> / <c>send-proxy-v2</c> servers in mode http. A PROXY header describes one
/// client connection, so a server connection that carries one must not serve another client: as HAProxy 2.6, which
/// keys idle server connections by the PROXY line they were opened with (its source port makes that one client
/// connection), each client connection gets its own small connection pool (one <see cref="HttpMessageInvoker"/> per
/// protocol version, created at its first request to such a server). Every new server connection of that pool begins
/// with the header carrying the client's address and port and the address and port it connected to (after any
/// <c>accept-proxy</c> header); connections are reused for that client's later requests and closed with the client
/// connection (<see cref="DisposeFor"/>). Servers without <c>send-proxy</c> keep using the shared pool.
/// </summary>
internal sealed class SendProxyClients : IDisposable
{
    private static readonly object Key = typeof(SendProxyClients);

    private readonly IPEndPoint? _source;
    private readonly IPEndPoint? _destination;
    private HttpMessageInvoker? _v1;
    private HttpMessageInvoker? _v2;
    private int _disposed;

    private SendProxyClients(IPEndPoint? source, IPEndPoint? destination)
    {
        _source = source;
        _destination = destination;
    }

    /// <summary>The invoker for <paramref name="version"/> of the client connection of <paramref name="context"/>.</summary>
    /// <param name="context">The client request.</param>
    /// <param name="version">The server's <c>send-proxy</c> version (v1 or v2).</param>
    /// <exception cref="InvalidOperationException">The connection exposes no connection items (not a Kestrel connection).</exception>
    public static HttpMessageInvoker For(HttpContext context, V1.ProxyProtocolVersion version)
    {
        var items = context.Features.Get<IConnectionItemsFeature>()?.Items
            ?? throw new InvalidOperationException("send-proxy needs the client connection's items feature");
        if (!items.TryGetValue(Key, out var value) || value is not SendProxyClients clients)
        {
            var connection = context.Connection;
            clients = new SendProxyClients(
                connection.RemoteIpAddress is { } remote ? new IPEndPoint(remote, connection.RemotePort) : null,
                connection.LocalIpAddress is { } local ? new IPEndPoint(local, connection.LocalPort) : null);
            items[Key] = clients;
        }

        return clients.Invoker(version);
    }

    /// <summary>Closes the server connections opened for <paramref name="connection"/>, if any.</summary>
    /// <param name="connection">The client connection that ended.</param>
    public static void DisposeFor(ConnectionContext connection)
    {
        if (connection.Items.TryGetValue(Key, out var value) && value is SendProxyClients clients)
        {
            connection.Items.Remove(Key);
            clients.Dispose();
        }
    }

    /// <summary>Sends the header of <paramref name="version"/> on a just-connected server socket (mode tcp).</summary>
    /// <param name="socket">The server socket.</param>
    /// <param name="version">The server's <c>send-proxy</c> version.</param>
    /// <param name="source">The client's address and port.</param>
    /// <param name="destination">The address and port the client connected to.</param>
    /// <returns>False when the send failed (the connection is unusable).</returns>
    public static async Task<bool> SendHeaderAsync(Socket socket, V1.ProxyProtocolVersion version, EndPoint? source, EndPoint? destination)
    {
        ReadOnlyMemory<byte> header = ProxyHeaderWriter.Create(version, source, destination);
        try
        {
            while (!header.IsEmpty)
            {
                header = header[await socket.SendAsync(header, SocketFlags.None).ConfigureAwait(false)..];
            }

            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _v1?.Dispose();
            _v2?.Dispose();
        }
    }

    private HttpMessageInvoker Invoker(V1.ProxyProtocolVersion version)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return version == V1.ProxyProtocolVersion.ProxyProtocolV1
            ? _v1 ??= Create(version)
            : _v2 ??= Create(version);
    }

    private HttpMessageInvoker Create(V1.ProxyProtocolVersion version)
    {
        var header = ProxyHeaderWriter.Create(version, _source, _destination);
        var connect = Proxy.BackendConnector.Create(Config.HaproxyDefaults.ConnectTimeout);
        return new HttpMessageInvoker(
            new SocketsHttpHandler
            {
                UseProxy = false,
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.None,
                UseCookies = false,
                ActivityHeadersPropagator = null,
                PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
                ConnectCallback = async (context, cancellationToken) =>
                {
                    var stream = await connect(context, cancellationToken).ConfigureAwait(false);
                    try
                    {
                        await stream.WriteAsync(header, cancellationToken).ConfigureAwait(false);
                        return stream;
                    }
                    catch
                    {
                        await stream.DisposeAsync().ConfigureAwait(false);
                        throw;
                    }
                },
            },
            disposeHandler: true);
    }
}
