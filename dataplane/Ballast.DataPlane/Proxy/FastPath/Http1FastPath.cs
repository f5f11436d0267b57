using System.Collections.Concurrent;
using Ballast.DataPlane.Config;
using Ballast.DataPlane.Logging;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Ballast.DataPlane.Proxy.FastPath;

/// <summary>
/// The HTTP/1.1 forwarding path on Kestrel's connection layer (deploy/BENCHMARKS.md, "the fast path"): a
/// <c>mode http</c> connection of an eligible frontend (<see cref="FastPathSelector"/>) is served by one
/// <see cref="Http1Connection"/> loop instead of Kestrel's HTTP layer and YARP: heads are parsed in place, forwarded
/// byte for byte (plus <c>X-Forwarded-For</c>), bodies pass through by their framing, and servers are reached over
/// pooled keep-alive connections (<see cref="ServerConnectionPool"/>). Owns the shared pieces: the eligibility
/// cache, the server pool and the timeout scan (one periodic scan sets <c>timeout client</c>/<c>server</c> expiries
/// by cancelling the pending read, instead of a timer per request).
/// </summary>
internal sealed class Http1FastPath : IAsyncDisposable
{
    /// <summary>How often deadlines are checked: timeouts fire up to this late.</summary>
    public static readonly TimeSpan Resolution = TimeSpan.FromMilliseconds(100);

    private readonly ConcurrentDictionary<Http1Connection, byte> _connections = new();
    private readonly RuntimeModelHolder _holder;
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _startGate = new();
    private Task? _loop;

    /// <summary>Creates the fast path.</summary>
    /// <param name="settings">The node-wide switch.</param>
    /// <param name="holder">The served model.</param>
    /// <param name="timeProvider">Clock.</param>
    /// <param name="loggerFactory">Logger factory.</param>
    /// <param name="transport">Transport of the connections to servers; null = Kestrel's socket connections.</param>
    public Http1FastPath(
        FastPathSettings settings, RuntimeModelHolder holder, TimeProvider timeProvider, ILoggerFactory loggerFactory, Transport.EpollTransport? transport = null)
    {
        _holder = holder;
        TimeProvider = timeProvider;
        Selector = new FastPathSelector(settings, holder);
        Pool = new ServerConnectionPool(timeProvider, loggerFactory.CreateLogger<ServerConnectionPool>(), transport);
    }

    /// <summary>Which frontends use the fast path.</summary>
    public FastPathSelector Selector { get; }

    /// <summary>Idle connections to servers.</summary>
    public ServerConnectionPool Pool { get; }

    /// <summary>Clock of deadlines.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Stats timers and access log of finished requests (set by the container).</summary>
    internal AccessLogWriter? AccessLog { get; init; }

    /// <summary>Serves a client connection until it closes or must go to the YARP path.</summary>
    /// <param name="connection">The connection (its frontend session and byte counter set up by the caller).</param>
    /// <param name="bind">The bind, to follow its frontend across snapshots.</param>
    /// <param name="frontend">The frontend owning the bind at accept time.</param>
    /// <param name="bytes">The connection's byte counter.</param>
    /// <param name="log">The connection's stream timestamps.</param>
    /// <returns>True when a snapshot took the frontend off the fast path: the next request is unread and the caller
    /// hands the connection to Kestrel's HTTP layer.</returns>
    public async Task<bool> HandleAsync(ConnectionContext connection, BindContext bind, FrontendRuntime frontend, ConnectionByteCounter bytes, StreamLog log)
    {
        var served = new Http1Connection(this, connection, bind, frontend, bytes, log);
        _connections.TryAdd(served, 0);
        EnsureScan();
        try
        {
            return await served.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            _connections.TryRemove(served, out _);
        }
    }

    /// <summary>Checks every connection's deadlines once (the periodic scan's body).</summary>
    public void Scan()
    {
        var now = TimeProvider.GetTimestamp();
        foreach (var connection in _connections.Keys)
        {
            connection.CheckDeadlines(now);
        }

        Pool.Sweep(_holder.Current);
    }

    /// <summary>Client connections of every frontend of the served model (<c>%ac</c>).</summary>
    /// <param name="frontend">The frontend of the request, counted when the model no longer has it.</param>
    public long ActiveConnections(FrontendRuntime frontend)
    {
        long total = 0;
        var found = false;
        foreach (var each in _holder.Current.Frontends)
        {
            total += Math.Max(0, each.Counters.Scur);
            found |= ReferenceEquals(each, frontend);
        }

        return found ? total : total + Math.Max(0, frontend.Counters.Scur);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        Pool.Dispose();
        _stopping.Dispose();
    }

    private void EnsureScan()
    {
        if (_loop is null)
        {
            lock (_startGate)
            {
                _loop ??= RunScanAsync(_stopping.Token);
            }
        }
    }

    private async Task RunScanAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Resolution, TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                Scan();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
