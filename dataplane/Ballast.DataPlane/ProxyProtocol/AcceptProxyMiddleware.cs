using Ballast.DataPlane.Proxy;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.ProxyProtocol;

/// <summary>
/// The first connection middleware of a bind, before TLS and the http/tcp handling: when the bind has
/// <c>accept-proxy</c>, reads the PROXY protocol header (v1 or v2, <see cref="ProxyHeaderParser"/>) and makes its
/// source and destination the connection's remote and local endpoints, so every later use of the client address (src
/// ACLs, stick tables, balance source, X-Forwarded-For, logs, send-proxy) sees the original client. A v1
/// <c>UNKNOWN</c> or v2 <c>LOCAL</c> header keeps the real addresses. A missing, malformed or incomplete header closes
/// the connection, as does one that has not fully arrived within <c>timeout http-request</c> (mode http) or
/// <c>timeout client</c> (mode tcp).
/// </summary>
internal sealed partial class AcceptProxyMiddleware(BindContext bind, TimeProvider timeProvider, ILogger logger)
{
    /// <summary>Handles one client connection.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="next">The rest of the bind's pipeline (TLS, then the frontend middleware).</param>
    public async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var frontend = bind.ResolveFrontend();
        if (frontend is null)
        {
            await next(connection).ConfigureAwait(false);
            return;
        }

        var options = frontend.Options;
        if (options.AcceptProxyBinds.Contains(bind.Endpoint))
        {
            var timeout = frontend.Mode == V1.Mode.Tcp ? frontend.ClientTimeout : options.HttpRequestTimeout;
            var header = await ReadHeaderAsync(connection, timeout).ConfigureAwait(false);
            if (header is not { } received)
            {
                return;
            }

            if (received.HasAddresses)
            {
                connection.RemoteEndPoint = received.Source;
                connection.LocalEndPoint = received.Destination;
            }
        }

        await next(connection).ConfigureAwait(false);
    }

    private async Task<ProxyHeader?> ReadHeaderAsync(ConnectionContext connection, TimeSpan timeout)
    {
        var input = connection.Transport.Input;
        using var deadline = new CancellationTokenSource(timeout, timeProvider);
        string reason;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(deadline.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                var status = ProxyHeaderParser.TryParse(buffer, out var header, out var length, out var error);
                if (status == ProxyParseStatus.Complete)
                {
                    input.AdvanceTo(buffer.GetPosition(length));
                    return header;
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (status == ProxyParseStatus.Invalid)
                {
                    reason = error ?? "invalid PROXY protocol header";
                    break;
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    reason = "connection closed before a complete PROXY protocol header";
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            reason = $"no complete PROXY protocol header within {timeout.TotalMilliseconds} ms";
        }
        catch (Exception ex) when (ex is IOException or ConnectionResetException or ConnectionAbortedException)
        {
            reason = ex.Message;
        }

        LogRejected(logger, bind.Endpoint.ToString(), connection.RemoteEndPoint?.ToString() ?? "?", reason);
        connection.Abort(new ConnectionAbortedException(reason));
        return null;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "accept-proxy on bind {Bind}: connection from {Remote} closed: {Reason}")]
    private static partial void LogRejected(ILogger logger, string bind, string remote, string reason);
}
