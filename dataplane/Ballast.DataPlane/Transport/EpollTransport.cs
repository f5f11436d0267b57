using System.Net;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Ballast.DataPlane.Transport;

/// <summary>
/// The node's TCP transport on Linux x86-64: a few <see cref="EventLoop"/>s (HAProxy's threads; by default half
/// the cores, at least one) that own every proxied socket, the binds (<see cref="IConnectionListenerFactory"/>, so
/// Kestrel's connection pipeline, TLS and HTTP layers run on it unchanged) and the fast path's connections to
/// servers (<see cref="ConnectAsync"/>). It replaces Kestrel's socket transport, whose .NET socket layer tries a read
/// before each wait (a failed <c>recvfrom</c> per request and direction, measured in deploy/BENCHMARKS.md).
/// Elsewhere, or with <c>BALLAST_TRANSPORT=sockets</c>, <see cref="IsSupported"/> is false and Kestrel's socket
/// transport is used.
/// </summary>
internal sealed partial class EpollTransport : IConnectionListenerFactory, IDisposable
{
    /// <summary>Environment variable choosing the transport: <c>epoll</c> (default where supported) or <c>sockets</c>.</summary>
    public const string Variable = "BALLAST_TRANSPORT";

    private readonly EventLoop[] _loops;
    private readonly ILogger _logger;
    private long _nextId;
    private int _nextLoop;

    /// <summary>Starts <paramref name="loops"/> event loops.</summary>
    /// <param name="loops">How many (at least one).</param>
    /// <param name="loggerFactory">Loggers of the loops.</param>
    public EpollTransport(int loops, ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger<EventLoop>();
        _logger = loggerFactory.CreateLogger<EpollTransport>();
        _loops = new EventLoop[Math.Max(1, loops)];
        for (var i = 0; i < _loops.Length; i++)
        {
            _loops[i] = new EventLoop($"ballast-loop-{i}", logger);
        }
    }

    /// <summary>Whether this machine runs the transport: Linux on x86-64, unless <see cref="Variable"/> says <c>sockets</c>.</summary>
    public static bool IsSupported =>
        OperatingSystem.IsLinux()
        && RuntimeInformation.ProcessArchitecture == Architecture.X64
        && !string.Equals(Environment.GetEnvironmentVariable(Variable), "sockets", StringComparison.OrdinalIgnoreCase);

    /// <summary>How long disposing a connection lets its unsent output wait for the peer before resetting it (10 s).</summary>
    public TimeSpan LingerTime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Clock of <see cref="LingerTime"/> and of connect timeouts.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The buffers of every connection's pipes.</summary>
    internal BlockPool Blocks { get; } = new();

    /// <summary>Event loops running.</summary>
    public int LoopCount => _loops.Length;

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">Not an IP end point.</exception>
    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        if (endpoint is not IPEndPoint ip)
        {
            throw new NotSupportedException($"only IP end points can be bound, not {endpoint}");
        }

        return ValueTask.FromResult<IConnectionListener>(new EpollListener(ip, 512, this));
    }

    /// <summary>
    /// Connects to <paramref name="endPoint"/> (non-blocking <c>connect</c>, completion on <c>EPOLLOUT</c>), on the
    /// caller's loop when it runs on one (so a client and its server connection share a thread), else the next.
    /// </summary>
    /// <param name="endPoint">The server.</param>
    /// <param name="timeout">HAProxy <c>timeout connect</c>.</param>
    /// <param name="timeProvider">Clock of the timeout.</param>
    /// <returns>The connection, or null when refused, unreachable or timed out.</returns>
    public async ValueTask<ConnectionContext?> ConnectAsync(IPEndPoint endPoint, TimeSpan timeout, TimeProvider timeProvider)
    {
        var connector = Connector.TryStart(endPoint, CurrentOrNextLoop());
        if (connector is null)
        {
            return null;
        }

        var fd = await connector.WaitAsync(timeout, timeProvider).ConfigureAwait(false);
        if (fd < 0)
        {
            return null;
        }

        var connection = new EpollConnection(fd, connector.Loop, endPoint, null, this);
        connection.Start();
        return connection;
    }

    /// <summary>The next loop in turn (new connections are spread round robin).</summary>
    internal EventLoop NextLoop() =>
        _loops.Length == 1 ? _loops[0] : _loops[(int)((uint)Interlocked.Increment(ref _nextLoop) % (uint)_loops.Length)];

    /// <summary>Logs an accept that failed for lack of descriptors or memory (retried by the listener).</summary>
    internal void ReportAcceptFailure(EndPoint bind, int errno) => LogAcceptFailed(_logger, bind.ToString() ?? "?", errno);

    /// <summary>A new connection id (Kestrel logs it).</summary>
    internal string NextConnectionId() => "E" + Interlocked.Increment(ref _nextId).ToString("X", System.Globalization.CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var loop in _loops)
        {
            loop.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bind {Bind}: accept failed with errno {Errno} (24 = too many open files); retrying in 100 ms")]
    private static partial void LogAcceptFailed(ILogger logger, string bind, int errno);

    private EventLoop CurrentOrNextLoop()
    {
        foreach (var loop in _loops)
        {
            if (loop.IsCurrent)
            {
                return loop;
            }
        }

        return NextLoop();
    }
}
