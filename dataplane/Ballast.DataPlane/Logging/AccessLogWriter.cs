using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Ballast.DataPlane.Stats;
using Microsoft.Extensions.Logging;

namespace Ballast.DataPlane.Logging;

/// <summary>
/// Writes access-log lines without ever blocking the request path: requests enqueue an
/// <see cref="AccessLogEntry"/> (a struct: no allocation) into one bounded queue (<see cref="DefaultCapacity"/>
/// entries); when it is full the entry is dropped and counted on the frontend (<c>dropped_logs</c>,
/// <c>haproxy_process_dropped_logs_total</c>) and on <see cref="Dropped"/>, as HAProxy drops logs it cannot send.
/// One background task formats the lines (HAProxy log-format, syslog header of each target) and writes them:
/// stdout/stderr and files through buffered async streams flushed when the queue is empty, syslog as one UDP datagram
/// per line. Destinations are opened on first use and kept open (shared by equal targets across frontends and
/// snapshots) until the writer is disposed; a destination that fails is logged and retried on the next line.
/// </summary>
internal sealed partial class AccessLogWriter : IAsyncDisposable
{
    /// <summary>Queue capacity.</summary>
    public const int DefaultCapacity = 8192;

    private readonly Channel<AccessLogEntry> _queue;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Dictionary<LogTargetSettings, Sink> _sinks = [];
    private readonly string _hostName = Environment.MachineName;
    private readonly Task _drain;
    private long _dropped;
    private long _written;

    /// <summary>Creates the writer and starts its background task.</summary>
    /// <param name="timeProvider">Clock of syslog headers.</param>
    /// <param name="logger">Logger for destination failures.</param>
    /// <param name="capacity">Queue capacity.</param>
    public AccessLogWriter(TimeProvider timeProvider, ILogger<AccessLogWriter> logger, int capacity = DefaultCapacity)
    {
        _timeProvider = timeProvider;
        _logger = logger;
        _queue = Channel.CreateBounded<AccessLogEntry>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full, so drops can be counted
            SingleReader = true,
            SingleWriter = false,
        });
        _drain = Task.Run(DrainAsync);
    }

    /// <summary>Lines dropped because the queue was full.</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Lines written to at least one destination.</summary>
    public long Written => Volatile.Read(ref _written);

    /// <summary>When set, the drain waits for it before each line (tests only: holds the queue full).</summary>
    internal Task? Gate { get; set; }

    /// <summary>Queues a line; never blocks. A full queue drops it and counts the drop on <paramref name="counters"/>.</summary>
    /// <param name="entry">The line's values.</param>
    /// <param name="counters">The frontend's counters.</param>
    /// <returns>False when dropped.</returns>
    public bool TryEnqueue(in AccessLogEntry entry, StatCounters counters)
    {
        if (_queue.Writer.TryWrite(entry))
        {
            return true;
        }

        Interlocked.Increment(ref _dropped);
        counters.CountDroppedLog();
        return false;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _drain.ConfigureAwait(false);
    }

    /// <summary>Formats one line for one target (syslog header, message, truncated to the target's length).</summary>
    /// <param name="entry">The values.</param>
    /// <param name="target">The target.</param>
    /// <param name="now">The time of the syslog header.</param>
    /// <param name="hostName">Host name.</param>
    internal static byte[] Format(in AccessLogEntry entry, LogTargetSettings target, DateTimeOffset now, string hostName)
    {
        var line = new StringBuilder(256);
        SyslogFormatter.AppendHeader(line, target, now, hostName);
        entry.Settings.Template.Render(entry, line, hostName);
        var text = line.ToString();
        var bytes = Encoding.UTF8.GetBytes(text);
        var max = target.Kind == LogTargetKind.Udp ? target.MaxLength : target.MaxLength - 1;
        if (bytes.Length > max)
        {
            Array.Resize(ref bytes, max);
        }

        if (target.Kind != LogTargetKind.Udp)
        {
            Array.Resize(ref bytes, bytes.Length + 1);
            bytes[^1] = (byte)'\n';
        }

        return bytes;
    }

    private async Task DrainAsync()
    {
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out var entry))
                {
                    if (Gate is { } gate)
                    {
                        await gate.ConfigureAwait(false);
                    }

                    await WriteAsync(entry).ConfigureAwait(false);
                }

                foreach (var sink in _sinks.Values)
                {
                    await sink.FlushAsync(this).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            foreach (var sink in _sinks.Values)
            {
                await sink.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task WriteAsync(AccessLogEntry entry)
    {
        var now = _timeProvider.GetUtcNow();
        var written = false;
        foreach (var target in entry.Settings.Targets)
        {
            if (!_sinks.TryGetValue(target, out var sink))
            {
                sink = new Sink(target);
                _sinks[target] = sink;
            }

            written |= await sink.WriteAsync(Format(entry, target, now, _hostName), this).ConfigureAwait(false);
        }

        if (written)
        {
            Interlocked.Increment(ref _written);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "access log target {Target}: {Error}")]
    private static partial void LogTargetFailed(ILogger logger, string target, string error);

    /// <summary>One open destination, used only by the drain task.</summary>
    private sealed class Sink(LogTargetSettings target) : IAsyncDisposable
    {
        private Stream? _stream;
        private Socket? _socket;
        private EndPoint? _endPoint;
        private bool _failed;

        public async ValueTask<bool> WriteAsync(byte[] line, AccessLogWriter owner)
        {
            try
            {
                switch (target.Kind)
                {
                    case LogTargetKind.Udp:
                        if (_socket is null)
                        {
                            var address = IPAddress.TryParse(target.Address, out var ip) ? ip
                                : (await Dns.GetHostAddressesAsync(target.Address).ConfigureAwait(false))[0];
                            _endPoint = new IPEndPoint(address, target.Port);
                            _socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                        }

                        await _socket.SendToAsync(line, SocketFlags.None, _endPoint!).ConfigureAwait(false);
                        break;
                    default:
                        _stream ??= target.Kind switch
                        {
                            LogTargetKind.Stdout => Console.OpenStandardOutput(),
                            LogTargetKind.Stderr => Console.OpenStandardError(),
                            _ => new FileStream(target.Address, new FileStreamOptions
                            {
                                Mode = FileMode.Append,
                                Access = FileAccess.Write,
                                Share = FileShare.ReadWrite | FileShare.Delete,
                                Options = FileOptions.Asynchronous,
                                BufferSize = 64 * 1024,
                            }),
                        };
                        await _stream.WriteAsync(line).ConfigureAwait(false);
                        break;
                }

                _failed = false;
                return true;
            }
            catch (Exception ex) when (ex is IOException or SocketException or UnauthorizedAccessException or ArgumentException)
            {
                if (!_failed)
                {
                    LogTargetFailed(owner._logger, target.Address.Length > 0 ? target.Address : target.Kind.ToString(), ex.Message);
                }

                _failed = true;
                await DisposeAsync().ConfigureAwait(false);
                return false;
            }
        }

        public async ValueTask FlushAsync(AccessLogWriter owner)
        {
            try
            {
                if (_stream is not null)
                {
                    await _stream.FlushAsync().ConfigureAwait(false);
                }
            }
            catch (IOException ex)
            {
                LogTargetFailed(owner._logger, target.Address, ex.Message);
                await DisposeAsync().ConfigureAwait(false);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_stream is not null)
            {
                await _stream.DisposeAsync().ConfigureAwait(false);
                _stream = null;
            }

            _socket?.Dispose();
            _socket = null;
        }
    }
}
