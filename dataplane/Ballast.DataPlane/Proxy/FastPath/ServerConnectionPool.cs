using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Ballast.DataPlane.Config;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace Ballast.DataPlane.Proxy.FastPath;

/// <summary>
/// Keep-alive connections to servers, one idle stack per server (kept by the server's surviving state, so pools
/// outlive snapshot swaps and disappear with the server). Connections are the node's epoll transport connections
/// (<see cref="Transport.EpollTransport.ConnectAsync"/>, on the client's event loop), or Kestrel socket connections
/// (<see cref="SocketConnectionContextFactory"/>) when the node runs Kestrel's socket transport. A connection
/// is reused only while its server is UP and it has been idle less than <see cref="IdleTimeout"/>; one that received
/// bytes or a close while idle is dropped.
/// </summary>
internal sealed class ServerConnectionPool : IDisposable
{
    /// <summary>How long an idle server connection is kept (HAProxy <c>pool-purge-delay</c> 5 s).</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Most idle connections kept per server.</summary>
    public const int MaxIdlePerServer = 512;

    private readonly ConditionalWeakTable<ServerState, IdleStack> _idle = new();
    private readonly SocketConnectionContextFactory _factory;
    private readonly TimeProvider _timeProvider;
    private readonly Transport.EpollTransport? _transport;

    /// <summary>Creates the pool.</summary>
    /// <param name="timeProvider">Clock of connect timeouts and idle ages.</param>
    /// <param name="logger">Logger of the socket transport.</param>
    /// <param name="transport">The node's epoll transport; null = Kestrel socket connections.</param>
    public ServerConnectionPool(TimeProvider timeProvider, ILogger logger, Transport.EpollTransport? transport = null)
    {
        _timeProvider = timeProvider;
        _transport = transport;
        var options = new SocketConnectionFactoryOptions
        {
            UnsafePreferInlineScheduling = NodeRuntimeTuning.InlineScheduling,
        };
        _factory = new SocketConnectionContextFactory(options, logger);
    }

    /// <summary>Takes an idle connection to <paramref name="server"/>, or null.</summary>
    /// <param name="server">The server.</param>
    public ConnectionContext? TryRent(ServerRuntime server)
    {
        if (Find(server.State) is not { } stack)
        {
            return null;
        }

        if (!server.IsUp)
        {
            Drain(stack);
            return null;
        }

        var now = _timeProvider.GetTimestamp();
        while (stack.TryPop(out var idle))
        {
            if (_timeProvider.GetElapsedTime(idle.Since, now) < IdleTimeout && IsQuiet(idle.Connection))
            {
                return idle.Connection;
            }

            Close(idle.Connection);
        }

        return null;
    }

    /// <summary>Returns a connection whose last exchange ended cleanly, or closes it when its server is not UP.</summary>
    /// <param name="server">Its server.</param>
    /// <param name="connection">The connection.</param>
    public void Return(ServerRuntime server, ConnectionContext connection)
    {
        var stack = Find(server.State) ?? Create(server.State);
        if (!server.IsUp || !stack.TryPush(new Idle(connection, _timeProvider.GetTimestamp())))
        {
            Close(connection);
        }
    }

    /// <summary>Opens a connection to <paramref name="server"/> within <paramref name="timeout"/>.</summary>
    /// <param name="server">The server.</param>
    /// <param name="timeout">HAProxy <c>timeout connect</c>.</param>
    /// <returns>The connection (null when refused, unreachable or timed out) and how long the connect took, in <see cref="Stopwatch"/> ticks.</returns>
    public async ValueTask<(ConnectionContext? Connection, long ConnectTicks)> ConnectAsync(ServerRuntime server, TimeSpan timeout)
    {
        var start = Stopwatch.GetTimestamp();
        if (_transport is not null && server.EndPoint is System.Net.IPEndPoint ip)
        {
            var connection = await _transport.ConnectAsync(ip, timeout, _timeProvider).ConfigureAwait(false);
            return (connection, connection is null ? 0 : Stopwatch.GetTimestamp() - start);
        }

        var socket = await TcpProxyHandler.TryConnectAsync(server.EndPoint, timeout, _timeProvider).ConfigureAwait(false);
        return socket is null ? (null, 0) : (_factory.Create(socket), Stopwatch.GetTimestamp() - start);
    }

    /// <summary>Closes a connection that is not reused.</summary>
    /// <param name="connection">The connection.</param>
    public static void Close(ConnectionContext connection)
    {
        connection.Transport.Input.Complete();
        connection.Transport.Output.Complete();
        _ = connection.DisposeAsync().AsTask();
    }

    /// <summary>Closes idle connections that aged out or whose server is no longer UP (called periodically).</summary>
    /// <param name="model">The served model: pools of its servers that are not UP are emptied.</param>
    public void Sweep(RuntimeModel model)
    {
        var now = _timeProvider.GetTimestamp();
        foreach (var backend in model.Backends)
        {
            foreach (var server in backend.Servers)
            {
                if (Find(server.State) is not { } stack || stack.Count == 0)
                {
                    continue;
                }

                if (!server.IsUp)
                {
                    Drain(stack);
                    continue;
                }

                var keep = new List<Idle>();
                while (stack.TryPop(out var idle))
                {
                    if (_timeProvider.GetElapsedTime(idle.Since, now) < IdleTimeout && IsQuiet(idle.Connection))
                    {
                        keep.Add(idle);
                    }
                    else
                    {
                        Close(idle.Connection);
                    }
                }

                for (var i = keep.Count - 1; i >= 0; i--)
                {
                    if (!stack.TryPush(keep[i]))
                    {
                        Close(keep[i].Connection);
                    }
                }
            }
        }
    }

    /// <summary>Idle connections of <paramref name="server"/> (tests, stats).</summary>
    /// <param name="server">The server.</param>
    public int IdleCount(ServerRuntime server) => Find(server.State)?.Count ?? 0;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (_, stack) in _idle)
        {
            Drain(stack);
        }

        _factory.Dispose();
    }

    /// <summary>This pool's idle connections of a server: from the server's own slot when this pool holds it, else the table.</summary>
    private IdleStack? Find(ServerState state) =>
        Volatile.Read(ref state.IdleConnections) is IdleStack own && ReferenceEquals(own.Pool, this) ? own
        : _idle.TryGetValue(state, out var stack) ? stack : null;

    private IdleStack Create(ServerState state)
    {
        var stack = _idle.GetValue(state, _ => new IdleStack(this));
        Interlocked.CompareExchange(ref state.IdleConnections, stack, null); // the first pool of the server gets the slot
        return stack;
    }

    private static void Drain(IdleStack stack)
    {
        while (stack.TryPop(out var idle))
        {
            Close(idle.Connection);
        }
    }

    /// <summary>An idle connection must have nothing to read: data or a close from the server makes it unusable.</summary>
    private static bool IsQuiet(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        if (!input.TryRead(out var result))
        {
            return !connection.ConnectionClosed.IsCancellationRequested;
        }

        input.AdvanceTo(result.Buffer.Start);
        return false;
    }

    private readonly record struct Idle(ConnectionContext Connection, long Since);

    /// <summary>
    /// The idle connections of one server, newest on top (a short lock around an array: no allocation per push or
    /// pop, unlike a linked concurrent stack), at most <see cref="MaxIdlePerServer"/>.
    /// </summary>
    private sealed class IdleStack(ServerConnectionPool pool)
    {
        private readonly Lock _gate = new();
        private Idle[] _items = new Idle[8];
        private int _count;

        /// <summary>The pool this stack belongs to.</summary>
        public ServerConnectionPool Pool { get; } = pool;

        /// <summary>Connections held.</summary>
        public int Count => Volatile.Read(ref _count);

        /// <summary>Pushes <paramref name="idle"/>; false when the stack is full.</summary>
        public bool TryPush(Idle idle)
        {
            lock (_gate)
            {
                if (_count >= MaxIdlePerServer)
                {
                    return false;
                }

                if (_count == _items.Length)
                {
                    Array.Resize(ref _items, Math.Min(MaxIdlePerServer, _items.Length * 2));
                }

                _items[_count++] = idle;
                return true;
            }
        }

        /// <summary>Pops the newest connection.</summary>
        public bool TryPop(out Idle idle)
        {
            lock (_gate)
            {
                if (_count == 0)
                {
                    idle = default;
                    return false;
                }

                idle = _items[--_count];
                _items[_count] = default;
                return true;
            }
        }
    }
}
