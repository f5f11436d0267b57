using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Ballast.DataPlane.Config;
using Ballast.DataPlane.LoadBalancing;
using Ballast.DataPlane.Logging;
using Ballast.DataPlane.Stats;
using Microsoft.AspNetCore.Connections;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Proxy.FastPath;

/// <summary>The server side of a request: server choice, connection, forwarding and the response.</summary>
internal sealed partial class Http1Connection
{
    /// <summary>Request fields kept for the access log.</summary>
    private readonly record struct RequestText(string? Method, string? Target, string Protocol);

    [AsyncMethodBuilder(typeof(SharedPoolValueTaskBuilder<>))]
    private async ValueTask<bool> ForwardAsync(FrontendRuntime frontend, ReadOnlySequence<byte> buffer, int headLength)
    {
        _log.BeginRequest();
        var frontendCounters = frontend.Counters;
        frontendCounters.CountRequest();
        var backend = frontend.DefaultBackend;
        var head = HeadSpan(buffer, headLength);
        var needsTarget = backend is not null && backend.Balance is V1.Balance.Uri or V1.Balance.UrlParam;
        var logged = frontend.AccessLog is not null;
        var (method, target, protocol) = Strings(head, logged, logged || needsTarget);
        var text = new RequestText(method, target, protocol);
        var request = _request;
        var clientKeepAlive = request.KeepAlive;
        if (backend is null)
        {
            _cin.AdvanceTo(buffer.GetPosition(headLength));
            await WritePageAsync(503, request.IsHead).ConfigureAwait(false);
            frontendCounters.CountResponse(503);
            Complete(frontend, null, null, 503, "SC", text);
            return clientKeepAlive && !request.HasRequestBody;
        }

        var backendCounters = backend.State.Counters;
        backendCounters.CountRequest();
        backendCounters.OpenSession();
        ServerRuntime? server = null;
        int status;
        string termination;
        bool keepAlive;
        try
        {
            (server, status, termination, keepAlive) = await ExchangeAsync(backend, buffer, headLength, target).ConfigureAwait(false);
        }
        finally
        {
            backendCounters.CloseSession();
        }

        backendCounters.CountResponse(status);
        frontendCounters.CountResponse(status);
        Complete(frontend, backend, server, status, termination, text);
        return keepAlive && clientKeepAlive;
    }

    /// <summary>Chooses a server, connects (with retries and redispatch), forwards and relays the response.</summary>
    [AsyncMethodBuilder(typeof(SharedPoolValueTaskBuilder<>))]
    private async ValueTask<(ServerRuntime? Server, int Status, string Termination, bool KeepAlive)> ExchangeAsync(
        BackendRuntime backend, ReadOnlySequence<byte> buffer, int headLength, string? target)
    {
        var request = _request;
        var input = new BalanceInput(_remote?.Address, target, null);
        var attempts = _attempts ??= new ServerAttempts(backend, input);
        attempts.Reset(backend, input);
        while (true)
        {
            var server = await attempts.NextAsync(_client.ConnectionClosed).ConfigureAwait(false);
            if (server is null)
            {
                _cin.AdvanceTo(buffer.GetPosition(headLength));

                await WritePageAsync(503, request.IsHead).ConfigureAwait(false);
                return (null, 503, "SC", !request.HasRequestBody);
            }

            try
            {
                _log.MarkSend();
                var connection = _owner.Pool.TryRent(server);
                var reused = connection is not null;
                if (connection is null)
                {
                    (connection, var ticks) = await _owner.Pool.ConnectAsync(server, backend.ConnectTimeout).ConfigureAwait(false);
                    _log.ConnectTicks = ticks;
                    if (connection is null)
                    {
                        server.Release();
                        if (attempts.ConnectFailed(server))
                        {
                            continue;
                        }

                        _cin.AdvanceTo(buffer.GetPosition(headLength));
                        await WritePageAsync(503, request.IsHead).ConfigureAwait(false);
                        server.State.Counters.CountResponse(503);
                        return (server, 503, "SC", !request.HasRequestBody);
                    }
                }

                var result = await OnServerAsync(backend, server, connection, reused, buffer, headLength).ConfigureAwait(false);
                if (result.Status == StaleConnection)
                {
                    // A pooled connection the server had closed: replay once on a new connection (nothing was lost:
                    // the request has no body and its head is still in the input).
                    (connection, var ticks) = await _owner.Pool.ConnectAsync(server, backend.ConnectTimeout).ConfigureAwait(false);
                    _log.ConnectTicks = ticks;
                    if (connection is null)
                    {
                        server.Release();
                        if (attempts.ConnectFailed(server))
                        {
                            continue;
                        }

                        _cin.AdvanceTo(buffer.GetPosition(headLength));
                        await WritePageAsync(503, request.IsHead).ConfigureAwait(false);
                        server.State.Counters.CountResponse(503);
                        return (server, 503, "SC", !request.HasRequestBody);
                    }

                    result = await OnServerAsync(backend, server, connection, reused: false, buffer, headLength).ConfigureAwait(false);
                }

                server.Release();
                server.State.Counters.CountResponse(result.Status);
                return (server, result.Status, result.Termination, result.KeepAlive);
            }
            catch
            {
                server.Release();
                throw;
            }
        }
    }

    private const int StaleConnection = -1;

    /// <summary>One exchange on a connected server connection; the connection is pooled or closed before returning.</summary>
    [AsyncMethodBuilder(typeof(SharedPoolValueTaskBuilder<>))]
    private async ValueTask<(int Status, string Termination, bool KeepAlive)> OnServerAsync(
        BackendRuntime backend, ServerRuntime server, ConnectionContext connection, bool reused, ReadOnlySequence<byte> buffer, int headLength)
    {
        var request = _request;
        var sout = connection.Transport.Output;
        var sin = connection.Transport.Input;
        _serverInput = sin;
        _serverTimeout = backend.ServerTimeout;
        Volatile.Write(ref _serverTimedOut, 0);
        var serverReusable = false;
        try
        {
            // Head as received, plus X-Forwarded-For before the blank line. A client's "Connection: close" is
            // hop-by-hop: as HAProxy (http-keep-alive, http-reuse safe) it is not passed on, so the server connection
            // stays reusable while the client's closes after the response.
            var head = HeadSpan(buffer, headLength);
            var xff = ForwardForLine(backend.Options.ForwardFor);
            var keepServer = request.ConnectionClose && request.MinorVersion >= 1 && !request.Upgrade && !request.ConnectionOther;
            var headSent = false; // went straight to the socket: nothing to flush
            if (keepServer)
            {
                WriteHeadWithoutConnection(sout, head, forwardFor: xff is not null);
            }
            else
            {
                // A head with a body is written to the pipe, where the body follows it.
                var direct = request.HasRequestBody ? null : DirectOf(connection);
                if (xff is null)
                {
                    headSent = SendOrWrite(direct, sout, head, default, default);
                }
                else
                {
                    ForwardForPieces(head, out var first, out var second, out var third);
                    headSent = SendOrWrite(direct, sout, first, second, third);
                }
            }

            Task<BodyResult>? body = null;
            var holdHead = !request.HasRequestBody && !request.Upgrade; // kept in the input for a replay
            var replayable = reused && holdHead;
            if (!holdHead)
            {
                _cin.AdvanceTo(buffer.GetPosition(headLength));
            }

            if (request.HasRequestBody)
            {
                if (request.ExpectContinue)
                {
                    await sout.FlushAsync().ConfigureAwait(false); // the client waits for 100 Continue before its body
                }

                body = CopyRequestBodyAsync(sout, request.Chunked, request.ContentLength);
            }
            else if (!headSent)
            {
                var flushed = await sout.FlushAsync().ConfigureAwait(false);
                if (flushed.IsCompleted && replayable)
                {
                    ServerConnectionPool.Close(connection);
                    return (StaleConnection, "--", false);
                }
            }

            var response = await RelayResponseAsync(backend, sin, sout, request.IsHead).ConfigureAwait(false);
            if (response.Status == StaleConnection)
            {
                if (replayable)
                {
                    return (StaleConnection, "--", false);
                }

                await WritePageAsync(502, request.IsHead).ConfigureAwait(false);
                response = (502, "SH", true, false);
            }

            if (holdHead)
            {
                _cin.AdvanceTo(buffer.GetPosition(headLength));
            }

            var keepAlive = response.KeepAlive;
            if (body is not null)
            {
                if (!body.IsCompleted)
                {
                    // The server answered before the request body ended: the rest cannot be resynchronised.
                    _cin.CancelPendingRead();
                    keepAlive = false;
                    response.ServerReusable = false;
                }

                var copied = await body.ConfigureAwait(false);
                if (copied != BodyResult.Done)
                {
                    keepAlive = false;
                    response.ServerReusable = false;
                    if (copied == BodyResult.SourceFailed && response.Termination == "--")
                    {
                        _frontend.Counters.CountRequestError();
                    }
                }
            }

            serverReusable = response.ServerReusable && (request.KeepAlive || keepServer);
            if (response.Status is 502 or 504)
            {
                server.State.Counters.CountResponseError();
                backend.State.Counters.CountResponseError();
            }

            return (response.Status, response.Termination, keepAlive);
        }
        finally
        {
            _serverInput = null;
            Disarm(ref _serverDeadline);
            if (serverReusable)
            {
                _owner.Pool.Return(server, connection);
            }
            else
            {
                ServerConnectionPool.Close(connection);
            }
        }
    }

    /// <summary>The response side of an exchange.</summary>
    private record struct ResponseResult(int Status, string Termination, bool KeepAlive, bool ServerReusable)
    {
        public static implicit operator ResponseResult((int Status, string Termination, bool KeepAlive, bool ServerReusable) t) =>
            new(t.Status, t.Termination, t.KeepAlive, t.ServerReusable);
    }

    /// <summary>
    /// Reads the response head (interim 1xx responses are relayed and skipped), writes it to the client and the body
    /// by its framing; a 101 switches both connections to a byte tunnel.
    /// </summary>
    [AsyncMethodBuilder(typeof(SharedPoolValueTaskBuilder<>))]
    private async ValueTask<ResponseResult> RelayResponseAsync(BackendRuntime backend, PipeReader sin, PipeWriter sout, bool headRequest)
    {
        var received = false;
        while (true)
        {
            Arm(ref _serverDeadline, backend.ServerTimeout);
            var read = await sin.ReadAsync().ConfigureAwait(false);
            var buffer = read.Buffer;
            if (read.IsCanceled)
            {
                sin.AdvanceTo(buffer.Start);
                if (Volatile.Read(ref _serverTimedOut) == 1)
                {
                    await WritePageAsync(504, headRequest).ConfigureAwait(false);
                    return (504, "sH", true, false);
                }

                continue;
            }

            var headLength = Http1Parser.FindHeadEnd(buffer);
            if (headLength < 0)
            {
                if (read.IsCompleted || buffer.Length > Http1Parser.MaxHeadSize)
                {
                    sin.AdvanceTo(buffer.End);
                    if (buffer.IsEmpty && read.IsCompleted && !received)
                    {
                        return (StaleConnection, "SH", false, false);
                    }

                    await WritePageAsync(502, headRequest).ConfigureAwait(false);
                    return (502, "SH", true, false);
                }

                received |= !buffer.IsEmpty;
                sin.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            received = true;
            var head = HeadSpan(buffer, headLength);
            if (!Http1Parser.ParseResponse(head, _response))
            {
                sin.AdvanceTo(buffer.End);
                await WritePageAsync(502, headRequest).ConfigureAwait(false);
                return (502, "SH", true, false);
            }

            var response = _response;
            _log.HeadersTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
            var closeClient = response.Status >= 200 && !_request.KeepAlive && !response.ConnectionClose;
            var noBody = headRequest || response.Status is 204 or 304;
            if (_clientDirect is not null && WholeResponseLength(response, headLength, noBody, buffer.FirstSpan) is var whole and >= 0)
            {
                return await RelayWholeResponseAsync(sin, buffer, headLength, whole, closeClient).ConfigureAwait(false);
            }

            if (closeClient)
            {
                // The client's connection closes after this response: say so (RFC 9112 9.6), as HAProxy does.
                WriteSequence(_cout, buffer.Slice(0, headLength - 2));
                _cout.Write("Connection: close\r\n\r\n"u8);
            }
            else
            {
                WriteSequence(_cout, buffer.Slice(0, headLength));
            }

            sin.AdvanceTo(buffer.GetPosition(headLength));
            if (response.Status == 101)
            {
                await _cout.FlushAsync().ConfigureAwait(false);
                Disarm(ref _serverDeadline);
                await TunnelAsync(sin, sout).ConfigureAwait(false);
                return (101, "--", false, false);
            }

            if (response.Status < 200)
            {
                await _cout.FlushAsync().ConfigureAwait(false);
                continue; // 100 Continue, 102, 103: the final response follows
            }

            BodyResult copied;
            bool delimited;
            if (noBody || (!response.Chunked && response.ContentLength == 0))
            {
                copied = BodyResult.Done;
                delimited = true;
            }
            else
            {
                delimited = response.Chunked || response.ContentLength > 0;
                copied = await CopyBodyAsync(sin, _cout, response.Chunked, response.ContentLength, fromServer: true).ConfigureAwait(false);
            }

            var flushed = await _cout.FlushAsync().ConfigureAwait(false);
            var keepAlive = response.KeepAlive && delimited && copied == BodyResult.Done && !flushed.IsCompleted;
            return copied switch
            {
                BodyResult.Done => (response.Status, flushed.IsCompleted ? "CD" : "--", keepAlive, response.KeepAlive && delimited),
                BodyResult.SourceTimedOut => (response.Status, "sD", false, false),
                BodyResult.SourceFailed => (response.Status, "SD", false, false),
                _ => (response.Status, "CD", false, false),
            };
        }
    }

    /// <summary>
    /// Relays a final response received whole (<see cref="WholeResponseLength"/>) from the server's buffer: sent
    /// straight to the client where its socket takes it, the rest through the client's pipe.
    /// </summary>
    private async ValueTask<ResponseResult> RelayWholeResponseAsync(PipeReader sin, ReadOnlySequence<byte> buffer, int headLength, int length, bool closeClient)
    {
        var received = buffer.FirstSpan;
        var sent = closeClient
            ? SendOrWrite(_clientDirect, _cout, received[..(headLength - 2)], "Connection: close\r\n\r\n"u8, received[headLength..length])
            : SendOrWrite(_clientDirect, _cout, received[..length], default, default);
        sin.AdvanceTo(buffer.GetPosition(length));
        Disarm(ref _serverDeadline);
        var clientGone = !sent && (await _cout.FlushAsync().ConfigureAwait(false)).IsCompleted;
        var keepAlive = _response.KeepAlive;
        return (_response.Status, clientGone ? "CD" : "--", keepAlive && !clientGone, keepAlive);
    }

    private static void WriteSequence(PipeWriter writer, in ReadOnlySequence<byte> bytes)
    {
        foreach (var segment in bytes)
        {
            writer.Write(segment.Span);
        }
    }

    /// <summary>Counts bytes and timers, and queues the access-log line (as <see cref="AccessLogWriter.CompleteHttp"/>).</summary>
    private void Complete(FrontendRuntime frontend, BackendRuntime? backend, ServerRuntime? server, int status, string termination, RequestText text)
    {
        var (received, sent) = _bytes.TakeDelta();
        frontend.Counters.AddBytes(received, sent);
        backend?.State.Counters.AddBytes(received, sent);
        server?.State.Counters.AddBytes(received, sent);
        var times = RequestTimes.From(_log, tcp: false);
        if (backend is not null)
        {
            times.AddTo(backend, server);
            if (termination.Length == 2 && termination[1] == 'D')
            {
                if (termination[0] == 'C')
                {
                    backend.State.Counters.CountClientAbort();
                    server?.State.Counters.CountClientAbort();
                }
                else if (termination[0] == 'S')
                {
                    backend.State.Counters.CountServerAbort();
                    server?.State.Counters.CountServerAbort();
                }
            }
        }

        if (frontend.AccessLog is not { } settings || _owner.AccessLog is not { } writer)
        {
            return;
        }

        var receive = _log.ReceiveTime;
        var idle = _log.IdleTime;
        _log.EndRequest(); // the next bytes read start the next request: its %Ti and %TR (only logged frontends pay the clock reads)

        var local = _client.LocalEndPoint as System.Net.IPEndPoint;
        writer.TryEnqueue(
            new AccessLogEntry
            {
                Settings = settings,
                ClientAddress = _remote?.Address,
                ClientPort = _remote?.Port ?? 0,
                FrontendAddress = local?.Address,
                FrontendPort = local?.Port ?? 0,
                AcceptTime = _log.AcceptTime,
                RequestTime = _log.RequestTime,
                Frontend = frontend.Name,
                Backend = backend?.Name ?? frontend.Name,
                Server = server?.Name ?? AccessLogWriter.NoServer,
                ServerAddress = server?.Address,
                ServerPort = server?.Port ?? 0,
                RequestHeaderTime = (long)receive.TotalMilliseconds,
                IdleTime = (long)idle.TotalMilliseconds,
                Times = times,
                Status = status,
                BytesSent = sent,
                BytesReceived = received,
                Termination = termination,
                ActiveConnections = _owner.ActiveConnections(frontend),
                FrontendConnections = frontend.Counters.Scur,
                BackendConnections = backend?.State.Counters.Scur ?? 0,
                ServerConnections = server?.State.Counters.Scur ?? 0,
                Retries = Math.Max(0, _log.Attempts - 1),
                Method = text.Method ?? string.Empty,
                Target = text.Target ?? string.Empty,
                Protocol = text.Protocol,
            },
            frontend.Counters);
    }
}
