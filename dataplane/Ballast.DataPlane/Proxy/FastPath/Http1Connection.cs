using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using Ballast.DataPlane.Config;
using Ballast.DataPlane.Logging;
using Microsoft.AspNetCore.Connections;

namespace Ballast.DataPlane.Proxy.FastPath;

/// <summary>
/// One client connection on the fast path: reads request heads (HAProxy limits: 15360-byte head, 101 headers;
/// 400/431 and close on a bad head, 408 when <c>timeout client</c> expires before a complete head, a silent
/// close when an idle keep-alive connection expires), forwards each request to a server of the frontend's
/// <c>default_backend</c> and its response back, one request at a time (pipelined requests wait in the input, as
/// HAProxy serves them), until either side closes, a message says <c>Connection: close</c>, HTTP/1.0 without
/// keep-alive, or a response is delimited by the server closing.
/// </summary>
internal sealed partial class Http1Connection
{
    private readonly Http1FastPath _owner;
    private readonly ConnectionContext _client;
    private readonly BindContext _bind;
    private readonly ConnectionByteCounter _bytes;
    private readonly StreamLog _log;
    private readonly PipeReader _cin;
    private bool _handOff;
    private readonly PipeWriter _cout;
    private readonly Transport.IDirectSendFeature? _clientDirect;
    private readonly Http1Head _request = new();
    private readonly Http1Head _response = new();
    private readonly IPEndPoint? _remote;
    private FrontendRuntime _frontend;
    private byte[]? _headCopy;
    private byte[]? _forwardFor;
    private byte[] _forwardForName = [];
    private byte[] _forwardForAppend = [];
    private ForwardFor? _forwardForOf;
    private TimeSpan _serverTimeout;
    private long _clientDeadline;
    private long _serverDeadline;
    private int _clientTimedOut;
    private int _serverTimedOut;
    private volatile PipeReader? _serverInput;
    private ServerAttempts? _attempts;

    /// <summary>Creates the loop of a connection.</summary>
    /// <param name="owner">The fast path.</param>
    /// <param name="client">The client connection.</param>
    /// <param name="bind">Its bind.</param>
    /// <param name="frontend">The frontend at accept time.</param>
    /// <param name="bytes">Its byte counter (its transport).</param>
    /// <param name="log">Its stream timestamps.</param>
    public Http1Connection(Http1FastPath owner, ConnectionContext client, BindContext bind, FrontendRuntime frontend, ConnectionByteCounter bytes, StreamLog log)
    {
        _owner = owner;
        _client = client;
        _bind = bind;
        _frontend = frontend;
        _bytes = bytes;
        _log = log;
        _cin = client.Transport.Input;
        _cout = client.Transport.Output;
        _clientDirect = bytes.CanSendDirect ? bytes : null;
        _remote = client.RemoteEndPoint as IPEndPoint;
    }

    /// <summary>
    /// Serves requests until the connection closes, or until a new snapshot takes the frontend off the fast path:
    /// then the next request is left unread in the client pipe and the connection is handed back.
    /// </summary>
    /// <returns>True when the caller must hand the connection to Kestrel's HTTP layer (the YARP path); false when it
    /// is finished.</returns>
    public async Task<bool> RunAsync()
    {
        try
        {
            var first = true;
            while (await ServeOneAsync(first).ConfigureAwait(false))
            {
                first = false;
            }
        }
        catch (Exception ex) when (ex is IOException or ConnectionAbortedException or ConnectionResetException or OperationCanceledException or InvalidOperationException)
        {
            // the client went away; its request (if any) was accounted where it failed
        }
        finally
        {
            Disarm(ref _clientDeadline);
            Disarm(ref _serverDeadline);
            if (_headCopy is not null)
            {
                ArrayPool<byte>.Shared.Return(_headCopy);
            }

            if (!_handOff)
            {
                await _cout.CompleteAsync().ConfigureAwait(false);
                await _cin.CompleteAsync().ConfigureAwait(false);
            }
        }

        return _handOff;
    }

    /// <summary>Fires the expired deadlines: the pending read of that side returns cancelled (the scan's body).</summary>
    /// <param name="now">The current timestamp of the fast path's clock.</param>
    public void CheckDeadlines(long now)
    {
        var client = Volatile.Read(ref _clientDeadline);
        if (client != 0 && now >= client && Interlocked.CompareExchange(ref _clientDeadline, 0, client) == client)
        {
            Volatile.Write(ref _clientTimedOut, 1);
            _cin.CancelPendingRead();
        }

        var server = Volatile.Read(ref _serverDeadline);
        if (server != 0 && now >= server && Interlocked.CompareExchange(ref _serverDeadline, 0, server) == server)
        {
            Volatile.Write(ref _serverTimedOut, 1);
            _serverInput?.CancelPendingRead();
        }
    }

    private static void Disarm(ref long deadline) => Volatile.Write(ref deadline, 0);

    private void Arm(ref long deadline, TimeSpan timeout)
    {
        var clock = _owner.TimeProvider;
        var ticks = timeout <= TimeSpan.Zero || timeout == Timeout.InfiniteTimeSpan
            ? 0
            : (long)(timeout.TotalSeconds * clock.TimestampFrequency);
        Volatile.Write(ref deadline, ticks == 0 ? 0 : clock.GetTimestamp() + ticks);
    }

    /// <summary>Reads, forwards and answers one request.</summary>
    /// <returns>Whether the connection stays open for another request.</returns>
    [AsyncMethodBuilder(typeof(SharedPoolValueTaskBuilder<>))]
    private async ValueTask<bool> ServeOneAsync(bool first)
    {
        var frontend = _frontend;
        Volatile.Write(ref _clientTimedOut, 0);
        Arm(ref _clientDeadline, frontend.ClientTimeout);
        ReadResult read;
        int headLength;
        while (true)
        {
            read = await _cin.ReadAsync().ConfigureAwait(false);
            var buffer = read.Buffer;
            if (read.IsCanceled)
            {
                Disarm(ref _clientDeadline);
                if (buffer.IsEmpty && !first)
                {
                    _cin.AdvanceTo(buffer.Start);
                    return false; // idle keep-alive connection: closed silently
                }

                _cin.AdvanceTo(buffer.Start);
                await RejectAsync(408).ConfigureAwait(false);
                return false;
            }

            headLength = Http1Parser.FindHeadEnd(buffer);
            if (headLength > Http1Parser.MaxHeadSize || (headLength < 0 && buffer.Length > Http1Parser.MaxHeadSize))
            {
                _cin.AdvanceTo(buffer.Start, buffer.End);
                await RejectAsync(431).ConfigureAwait(false);
                return false;
            }

            if (headLength > 0)
            {
                break;
            }

            if (read.IsCompleted)
            {
                _cin.AdvanceTo(buffer.End);
                if (!buffer.IsEmpty)
                {
                    frontend.Counters.CountRequestError(); // closed in the middle of a head (HAProxy CR)
                }

                return false;
            }

            _cin.AdvanceTo(buffer.Start, buffer.End);
        }

        Disarm(ref _clientDeadline);
        if (!first && _bind.ResolveFrontend() is var current && !ReferenceEquals(current, frontend))
        {
            // A snapshot changed the frontend since the previous request: follow it while it stays on the fast path;
            // otherwise leave this request unread and hand the connection to Kestrel's HTTP layer, which serves it
            // and the following ones on the YARP path (a removed frontend: close, as the bind is going away).
            if (current is null || !_owner.Selector.UsesFastPath(current))
            {
                _cin.AdvanceTo(read.Buffer.Start);
                _handOff = current is not null;
                return false;
            }

            _frontend = frontend = current;
        }

        var head = HeadSpan(read.Buffer, headLength);
        var status = Http1Parser.ParseRequest(head, _request);
        if (status != 0)
        {
            _cin.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            await RejectAsync(status).ConfigureAwait(false);
            return false;
        }

        return await ForwardAsync(frontend, read.Buffer, headLength).ConfigureAwait(false);
    }

    /// <summary>The head as one span: in place when it sits in one segment, else copied.</summary>
    private ReadOnlySpan<byte> HeadSpan(in ReadOnlySequence<byte> buffer, int length)
    {
        var first = buffer.FirstSpan;
        if (first.Length >= length)
        {
            return first[..length];
        }

        if (_headCopy is null || _headCopy.Length < length)
        {
            if (_headCopy is not null)
            {
                ArrayPool<byte>.Shared.Return(_headCopy);
            }

            _headCopy = ArrayPool<byte>.Shared.Rent(Math.Max(length, 4096));
        }

        buffer.Slice(0, length).CopyTo(_headCopy);
        return _headCopy.AsSpan(0, length);
    }

    /// <summary>Answers a request the proxy refuses (bad head, timeout) and counts it as HAProxy (<c>ereq</c>).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask RejectAsync(int status)
    {
        var frontend = _frontend;
        _log.BeginRequest();
        frontend.Counters.CountRequest();
        frontend.Counters.CountRequestError();
        await WritePageAsync(status, head: false).ConfigureAwait(false);
        frontend.Counters.CountResponse(status);
        Complete(frontend, null, null, status, status == 408 ? "cR" : "PR", default);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WritePageAsync(int status, bool head)
    {
        var (pageHead, body) = FastPathResponses.Get(status);
        _cout.Write(pageHead);
        if (!head)
        {
            _cout.Write(body);
        }

        await _cout.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>Request fields materialised only when a balancer or the access log needs them.</summary>
    private (string? Method, string? Target, string Protocol) Strings(ReadOnlySpan<byte> head, bool method, bool target)
    {
        var m = method ? Encoding.Latin1.GetString(head.Slice(_request.Method.Start, _request.Method.Length)) : null;
        var t = target ? Encoding.Latin1.GetString(head.Slice(_request.Target.Start, _request.Target.Length)) : null;
        return (m, t, _request.MinorVersion == 0 ? "HTTP/1.0" : "HTTP/1.1");
    }

    /// <summary>
    /// The request head with the client address added to <c>X-Forwarded-For</c> (<see cref="ForwardForLine"/> set it
    /// up), as three pieces for a gathered send: appended (", address") to the last such header line when the client
    /// sent one, else as a new line before the blank line.
    /// </summary>
    private void ForwardForPieces(ReadOnlySpan<byte> head, out ReadOnlySpan<byte> first, out ReadOnlySpan<byte> second, out ReadOnlySpan<byte> third)
    {
        var (_, lastEnd) = LastHeaderLine(head, _forwardForName);
        if (lastEnd < 0)
        {
            first = head[..^2];
            second = _forwardFor;
            third = "\r\n"u8;
            return;
        }

        first = head[..lastEnd];
        second = _forwardForAppend;
        third = head[lastEnd..];
    }

    /// <summary>
    /// Writes the request head to the server without its <c>Connection</c> lines (a client's <c>close</c>, which is
    /// hop-by-hop), with the client address added to <c>X-Forwarded-For</c> as <see cref="ForwardForPieces"/>
    /// when <paramref name="forwardFor"/>.
    /// </summary>
    private void WriteHeadWithoutConnection(PipeWriter destination, ReadOnlySpan<byte> head, bool forwardFor)
    {
        var lastForwardFor = forwardFor ? LastHeaderLine(head, _forwardForName).Start : -1;
        var position = head.IndexOf("\r\n"u8) + 2;
        destination.Write(head[..position]); // request line
        while (position < head.Length - 2)
        {
            var end = position + head[position..].IndexOf("\r\n"u8);
            var current = head[position..end];
            if (!IsHeader(current, "connection"u8))
            {
                destination.Write(current);
                if (position == lastForwardFor)
                {
                    destination.Write(_forwardForAppend);
                }

                destination.Write("\r\n"u8);
            }

            position = end + 2;
        }

        if (forwardFor && lastForwardFor < 0)
        {
            destination.Write(_forwardFor);
        }

        destination.Write("\r\n"u8);
    }

    /// <summary>Start and end (before its CRLF) of the last header line named <paramref name="name"/> in a head; -1, -1 when none.</summary>
    private static (int Start, int End) LastHeaderLine(ReadOnlySpan<byte> head, ReadOnlySpan<byte> name)
    {
        var last = (-1, -1);
        var position = head.IndexOf("\r\n"u8) + 2;
        while (position < head.Length - 2)
        {
            var end = position + head[position..].IndexOf("\r\n"u8);
            if (IsHeader(head[position..end], name))
            {
                last = (position, end);
            }

            position = end + 2;
        }

        return last;
    }

    /// <summary>Whether a header line is named <paramref name="name"/> (ASCII, case-insensitive).</summary>
    private static bool IsHeader(ReadOnlySpan<byte> line, ReadOnlySpan<byte> name) =>
        line.Length > name.Length && line[name.Length] == (byte)':' && Ascii.EqualsIgnoreCase(line[..name.Length], name);

    /// <summary>The <c>X-Forwarded-For</c> line of this client for <paramref name="forwardFor"/>, or null when it does not apply.</summary>
    private byte[]? ForwardForLine(ForwardFor? forwardFor)
    {
        if (forwardFor is null || _remote is null || !forwardFor.AppliesTo(_remote.Address))
        {
            return null;
        }

        if (!ReferenceEquals(forwardFor, _forwardForOf))
        {
            var address = _remote.Address.IsIPv4MappedToIPv6 ? _remote.Address.MapToIPv4() : _remote.Address;
            _forwardFor = Encoding.ASCII.GetBytes($"{forwardFor.Header}: {address}\r\n");
            _forwardForName = Encoding.ASCII.GetBytes(forwardFor.Header);
            _forwardForAppend = Encoding.ASCII.GetBytes($", {address}");
            _forwardForOf = forwardFor;
        }

        return _forwardFor;
    }
}
