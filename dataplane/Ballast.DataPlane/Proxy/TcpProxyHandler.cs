using System.Net;
using System.Net.Sockets;
using Ballast.DataPlane.Config;
using Ballast.DataPlane.LoadBalancing;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Ballast.DataPlane.Proxy;

/// <summary>
/// Serves one client connection of a <c>mode tcp</c> frontend: frontend → <c>default_backend</c> → a server chosen by
/// the backend's balancer (hashing algorithms see the client address), connected within <c>timeout connect</c>,
/// then a <see cref="TcpSession"/> relays bytes until both sides are done.
/// <para>
/// Connection failures follow HAProxy <c>retries 3</c> with <c>option redispatch 1</c>, as the HTTP path: a refused,
/// unreachable or timed-out connect is retried up to 3 times, on another server when one is available (same server
/// otherwise); each retry counts <c>wretr</c> on the server and its backend, a move to another server
/// <c>wredis</c>. When attempts run out, <c>econ</c> is counted and the client connection is closed, as are
/// connections finding no usable server or no backend. Sessions count <c>scur</c>/<c>smax</c>/<c>stot</c> on the
/// backend and the server (whose <c>maxconn</c> limits concurrent connections).
/// </para>
/// </summary>
internal sealed partial class TcpProxyHandler : IAsyncDisposable
{
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates the handler.</summary>
    /// <param name="timeProvider">Clock for timeouts.</param>
    /// <param name="logger">Logger.</param>
    public TcpProxyHandler(TimeProvider timeProvider, ILogger<TcpProxyHandler> logger)
    {
        _timeProvider = timeProvider;
        _logger = logger;
        Timeouts = new IdleTimeoutWatcher(timeProvider);
    }

    /// <summary>Records timing averages and access logs at the end of each connection (set by the container).</summary>
    internal Logging.AccessLogWriter? AccessLog { get; init; }

    /// <summary>The watcher enforcing <c>timeout client</c> and <c>timeout server</c>.</summary>
    public IdleTimeoutWatcher Timeouts { get; }

    /// <summary>Relays a client connection of <paramref name="frontend"/> until it ends.</summary>
    /// <param name="connection">The client connection (its frontend session is counted by the caller).</param>
    /// <param name="frontend">The frontend owning the bind.</param>
    public async Task HandleAsync(ConnectionContext connection, FrontendRuntime frontend)
    {
        var backend = frontend.DefaultBackend;
        var log = new Logging.StreamLog(_timeProvider.GetUtcNow());
        connection.Features.Set(log);
        if (backend is null)
        {
            AccessLog?.CompleteTcp(connection, log, frontend, null, null, 0, 0, "SC");
            return;
        }

        var backendCounters = backend.State.Counters;
        backendCounters.OpenSession();
        try
        {
            var (server, socket) = await ConnectAsync(connection, backend).ConfigureAwait(false);
            if (server is null || socket is null)
            {
                AccessLog?.CompleteTcp(connection, log, frontend, backend, null, 0, 0, "SC");
                return;
            }

            log.MarkConnected();

            try
            {
                var session = new TcpSession(
                    connection,
                    socket,
                    frontend.Counters,
                    backendCounters,
                    server.State.Counters,
                    backend.Options.TunnelTimeout ?? frontend.ClientTimeout, // timeout tunnel replaces client/server once connected
                    backend.Options.TunnelTimeout ?? backend.ServerTimeout,
                    _timeProvider);
                Timeouts.Add(session);
                try
                {
                    await session.RunAsync().ConfigureAwait(false);
                }
                finally
                {
                    Timeouts.Remove(session);
                }

                if (session.AbortReason is { } reason)
                {
                    LogAborted(_logger, frontend.Name, server.ToString(), reason);
                }

                AccessLog?.CompleteTcp(connection, log, frontend, backend, server, session.BytesIn, session.BytesOut, Logging.StreamLog.TcpTermination(session.AbortReason));
            }
            finally
            {
                server.Release();
            }
        }
        finally
        {
            backendCounters.CloseSession();
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Timeouts.DisposeAsync();

    /// <summary>Opens a socket to <paramref name="endPoint"/> within <paramref name="timeout"/>.</summary>
    /// <param name="endPoint">Server address.</param>
    /// <param name="timeout">HAProxy <c>timeout connect</c>.</param>
    /// <param name="timeProvider">Clock of the timeout.</param>
    /// <returns>The connected socket (TCP_NODELAY), or null when the connect failed or timed out.</returns>
    internal static async Task<Socket?> TryConnectAsync(EndPoint endPoint, TimeSpan timeout, TimeProvider timeProvider)
    {
        var socket = endPoint is IPEndPoint ip
            ? new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        socket.NoDelay = true;
        using var deadline = new CancellationTokenSource(timeout, timeProvider);
        try
        {
            await socket.ConnectAsync(endPoint, deadline.Token).ConfigureAwait(false);
            return socket;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            return null;
        }
    }

    private static IPAddress? RemoteAddress(ConnectionContext connection) => (connection.RemoteEndPoint as IPEndPoint)?.Address;

    private async Task<(ServerRuntime? Server, Socket? Socket)> ConnectAsync(ConnectionContext connection, BackendRuntime backend)
    {
        var backendCounters = backend.State.Counters;
        var input = new BalanceInput(RemoteAddress(connection), null, null);
        var exclusions = default(ServerExclusions);
        ServerRuntime? failed = null;
        var options = backend.Options;
        var stay = false;
        for (var attempt = 0; ; attempt++)
        {
            // Queued when every usable server is at maxconn (timeout queue); same server when not redispatching.
            var server = stay && failed!.IsUsable && failed.TryAcquire()
                ? failed
                : await BackendQueue.PickAsync(backend, input, exclusions, connection.ConnectionClosed).ConfigureAwait(false);
            if (server is null && failed is not null && failed.IsUsable && failed.TryAcquire())
            {
                server = failed; // no other server: retry the same one, as HAProxy without a redispatch target
            }

            if (server is null)
            {
                if (failed is not null)
                {
                    failed.State.Counters.CountConnectionError();
                    backendCounters.CountConnectionError();
                }

                return (null, null);
            }

            if (failed is not null && !ReferenceEquals(failed, server))
            {
                failed.State.Counters.CountRedispatch();
                backendCounters.CountRedispatch();
            }

            connection.Features.Get<Logging.StreamLog>()?.MarkSend(); // start of Tc
            var socket = await TryConnectAsync(server.EndPoint, backend.ConnectTimeout, _timeProvider).ConfigureAwait(false);
            Health.PassiveHealth.ReportConnect(server, socket is not null); // HAProxy observe layer4
            if (socket is not null && server.SendProxy != Proto.V1.ProxyProtocolVersion.ProxyProtocolNone
                && !await ProxyProtocol.SendProxyClients.SendHeaderAsync(socket, server.SendProxy, connection.RemoteEndPoint, connection.LocalEndPoint).ConfigureAwait(false))
            {
                socket.Dispose(); // send-proxy: the header could not be sent, count it as a failed connection
                socket = null;
            }

            if (socket is not null)
            {
                return (server, socket);
            }

            server.Release();
            var serverCounters = server.State.Counters;
            if (attempt >= options.Retries || (options.RetryOn & RetryOn.ConnectionFailure) == 0)
            {
                serverCounters.CountConnectionError();
                backendCounters.CountConnectionError();
                LogConnectFailed(_logger, server.ToString(), attempt + 1);
                return (null, null);
            }

            serverCounters.CountRetry();
            backendCounters.CountRetry();
            stay = !options.RedispatchesOn(attempt + 1, options.Retries);
            if (!stay)
            {
                exclusions.Add(server);
            }

            failed = server;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "mode tcp: connection to {Server} failed after {Attempts} attempts")]
    private static partial void LogConnectFailed(ILogger logger, string server, int attempts);

    [LoggerMessage(Level = LogLevel.Debug, Message = "mode tcp: frontend {Frontend} session with {Server} closed: {Reason}")]
    private static partial void LogAborted(ILogger logger, string frontend, string server, string reason);
}
