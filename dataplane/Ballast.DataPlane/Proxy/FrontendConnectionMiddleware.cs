using Microsoft.AspNetCore.Connections;

namespace Ballast.DataPlane.Proxy;

/// <summary>
/// Kestrel connection middleware of a bind: counts the frontend's sessions (HAProxy frontend <c>scur</c>,
/// <c>smax</c>, <c>stot</c> are client connections), enforces frontend <c>maxconn</c> and installs the
/// <see cref="ConnectionByteCounter"/>. A connection over <c>maxconn</c> waits, unserved, until a slot frees, as
/// HAProxy leaves it in the accept backlog.
/// </summary>
internal sealed class FrontendConnectionMiddleware(BindContext bind, TimeProvider timeProvider)
{
    private static readonly TimeSpan FullPollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Handles one client connection.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="next">Kestrel's HTTP handling.</param>
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

        var bytes = new ConnectionByteCounter(connection.Transport);
        connection.Transport = bytes;
        connection.Features.Set(bytes);
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            counters.CloseSession();
            var (received, sent) = bytes.TakeDelta();
            counters.AddBytes(received, sent);
        }
    }
}
