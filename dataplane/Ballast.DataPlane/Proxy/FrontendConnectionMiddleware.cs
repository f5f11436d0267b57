using Microsoft.AspNetCore.Connections;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Proxy;

/// <summary>
/// Kestrel connection middleware of a bind: counts the frontend's sessions (HAProxy frontend <c>scur</c>,
/// <c>smax</c>, <c>stot</c> are client connections) and enforces frontend <c>maxconn</c>, then serves the connection
/// by the mode of the frontend owning the bind when it arrived: <c>mode tcp</c> connections are relayed by the
/// <see cref="TcpProxyHandler"/> (Kestrel's HTTP layer never sees them); <c>mode http</c> connections get the
/// <see cref="ConnectionByteCounter"/> and go on to Kestrel's HTTP/1.1 handling. So a bind keeps its socket when a
/// snapshot changes its frontend's mode; new connections follow the new mode. A connection over <c>maxconn</c> waits,
/// unserved, until a slot frees, as HAProxy leaves it in the accept backlog.
/// </summary>
internal sealed class FrontendConnectionMiddleware(BindContext bind, TcpProxyHandler tcp, TimeProvider timeProvider, FastPath.Http1FastPath? fastPath = null)
{
    private static readonly TimeSpan FullPollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Handles one client connection.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="next">Kestrel's HTTP handling (mode http only).</param>
    public async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var frontend = bind.ResolveFrontend();
        if (frontend is null)
        {
            connection.Abort(new ConnectionAbortedException("The bind is being removed."));
            return;
        }

        var counters = frontend.Counters;
        while (!counters.TryOpenSession(frontend.MaxConn))
        {
            try
            {
                await Task.Delay(FullPollInterval, timeProvider, connection.ConnectionClosed).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        if (frontend.Mode == V1.Mode.Tcp)
        {
            try
            {
                await tcp.HandleAsync(connection, frontend).ConfigureAwait(false);
            }
            finally
            {
                counters.CloseSession();
            }

            return;
        }

        var bytes = new ConnectionByteCounter(connection.Transport, connection.Features.Get<Transport.IDirectSendFeature>());
        connection.Transport = bytes;
        connection.Features.Set(bytes);
        var log = new Logging.StreamLog(timeProvider.GetUtcNow(), timeProvider);
        bytes.Log = log; // first byte of each request: Ti, TR
        connection.Features.Set(log); // timers and access log of its requests
        try
        {
            // HTTP/1.1 fast path; it hands the connection back when a snapshot takes the frontend off it.
            if (fastPath is null || !fastPath.Selector.UsesFastPath(frontend, connection)
                || await ServeFastPathAsync(fastPath, connection, frontend, bytes, log).ConfigureAwait(false))
            {
                await next(connection).ConfigureAwait(false);
            }
        }
        finally
        {
            ProxyProtocol.SendProxyClients.DisposeFor(connection); // send-proxy server connections of this client
            counters.CloseSession();
            var (received, sent) = bytes.TakeDelta();
            counters.AddBytes(received, sent);
        }
    }

    /// <summary>
    /// Runs the fast path without the connection's <see cref="ExecutionContext"/> (Kestrel's logging scope): its
    /// continuations then run on the event loop without restoring a context at every step of every request.
    /// </summary>
    private Task<bool> ServeFastPathAsync(
        FastPath.Http1FastPath fastPath, ConnectionContext connection, Config.FrontendRuntime frontend, ConnectionByteCounter bytes, Logging.StreamLog log)
    {
        using (ExecutionContext.SuppressFlow())
        {
            return fastPath.HandleAsync(connection, bind, frontend, bytes, log);
        }
    }
}
