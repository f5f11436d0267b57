using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace Ballast.Proto.Grpc;

/// <summary>
/// One client call over HTTP/2 (gRPC PROTOCOL-HTTP2): sends the request headers and messages, reads response
/// headers, messages and trailers, and settles the final status exactly once (from trailers, a Trailers-Only
/// response, a transport error, the deadline, or cancellation).
/// </summary>
internal sealed class ClientCall<TRequest, TResponse> : IClientCallControl
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    private readonly GrpcChannel _channel;
    private readonly Method<TRequest, TResponse> _method;
    private readonly CallOptions _options;
    private readonly CancellationTokenSource _deadlineCts = new();
    private readonly CancellationTokenSource _callCts;
    private readonly TaskCompletionSource<Metadata> _headers = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<Status> _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private CancellationTokenRegistration _cancelRegistration;
    private DuplexRequestContent? _requestContent;
    private Task<MessageReader?> _responseTask = Task.FromResult<MessageReader?>(null);
    private HttpRequestMessage? _request;
    private HttpResponseMessage? _response;
    private CallOutcome? _outcome;
    private bool _disposed;

    public ClientCall(GrpcChannel channel, Method<TRequest, TResponse> method, CallOptions options)
    {
        _channel = channel;
        _method = method;
        _options = options;
        _callCts = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken, _deadlineCts.Token);
        _headers.Task.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
    }

    public Task<Metadata> ResponseHeadersAsync => _headers.Task;

    /// <summary>The request body of a streaming call; null for unary and server-streaming calls.</summary>
    public DuplexRequestContent? RequestContent => _requestContent;

    public CancellationToken CallToken => _callCts.Token;

    /// <summary>Sends the request; <paramref name="request"/> is null for client-streaming and duplex calls.</summary>
    public void Start(TRequest? request)
    {
        if (request is null)
        {
            _requestContent = new DuplexRequestContent();
        }

        var deadline = _options.Deadline?.ToUniversalTime();
        TimeSpan? timeout = deadline is { } d && d != DateTime.MaxValue ? d - DateTime.UtcNow : null;
        if (timeout is { } expired && expired <= TimeSpan.Zero)
        {
            Finish(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"), new Metadata());
            _responseTask = Task.FromException<MessageReader?>(CreateException());
            _responseTask.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
            return;
        }

        var message = new HttpRequestMessage(HttpMethod.Post, _channel.GetMethodUri(_method.FullName))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        AddRequestHeaders(message, timeout);
        HttpContent content = _requestContent is not null ? _requestContent : Frame(request!);
        message.Content = content;
        content.Headers.ContentType = new MediaTypeHeaderValue(GrpcProtocol.ContentType);
        _cancelRegistration = _callCts.Token.Register(static state => ((ClientCall<TRequest, TResponse>)state!).OnCancelled(), this);
        if (timeout is { } remaining && remaining < TimeSpan.FromDays(40))
        {
            _deadlineCts.CancelAfter(remaining);
        }

        _request = message;
        _responseTask = SendAsync(message);
        _responseTask.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
    }

    /// <summary>Reads the next response message; null at the end with status OK; throws <see cref="RpcException"/> otherwise.</summary>
    public async Task<TResponse?> ReadMessageAsync(CancellationToken cancellationToken)
    {
        using var registration = RegisterCancel(cancellationToken);
        var reader = await _responseTask.ConfigureAwait(false);
        if (reader is null || FinalStatus is not null)
        {
            return FinalStatus is { Code: StatusCode.OK } ? null : throw CreateException();
        }

        try
        {
            var message = await reader.ReadAsync(_method.ResponseParser, _callCts.Token).ConfigureAwait(false);
            if (message is not null)
            {
                return message;
            }

            FinishFromTrailers();
        }
        catch (RpcException ex) when (FinalStatus is null)
        {
            // Framing error (oversize, truncated, bad flag): fail the call and reset the stream.
            Finish(ex.Status, new Metadata());
            Abort();
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            Finish(ClientErrors.ToStatus(ex, DeadlineExpired, _callCts.IsCancellationRequested), new Metadata());
            Abort();
        }

        return FinalStatus is { Code: StatusCode.OK } ? null : throw CreateException();
    }

    /// <summary>Reads exactly one response message and the OK status (unary and client-streaming calls).</summary>
    public async Task<TResponse> ReadSingleResponseAsync()
    {
        var message = await ReadMessageAsync(CancellationToken.None).ConfigureAwait(false)
            ?? throw FailLocally(new Status(StatusCode.Internal, "Failed to deserialize response message: the server sent no message."));
        if (await ReadMessageAsync(CancellationToken.None).ConfigureAwait(false) is not null)
        {
            throw FailLocally(new Status(StatusCode.Internal, "The server sent more than one response message."));
        }

        return message;
    }

    /// <summary>The request stream once HTTP/2 has opened it; throws <see cref="RpcException"/> if the call ended first.</summary>
    public async Task<Stream> GetRequestStreamAsync()
    {
        var content = _requestContent ?? throw new InvalidOperationException("This call has no request stream.");
        var stream = content.StreamTask;
        await Task.WhenAny(stream, _finished.Task).ConfigureAwait(false);
        if (FinalStatus is not null || !stream.IsCompletedSuccessfully)
        {
            throw CreateWriteException();
        }

        return stream.Result;
    }

    /// <summary>The exception to throw from a write that failed or came after the end of the call.</summary>
    public Exception CreateWriteException(Exception? cause = null)
    {
        if (FinalStatus is { Code: StatusCode.OK })
        {
            return new InvalidOperationException("Can't write the message because the call is complete.");
        }

        return FinalStatus is not null
            ? CreateException()
            : new RpcException(ClientErrors.ToStatus(cause ?? new IOException("The request stream failed."), DeadlineExpired, _callCts.IsCancellationRequested));
    }

    public Status GetStatus() =>
        FinalStatus ?? throw new InvalidOperationException("Unable to get the status because the call is not complete.");

    public Metadata GetTrailers() =>
        Volatile.Read(ref _outcome)?.Trailers ?? throw new InvalidOperationException("Unable to get the trailers because the call is not complete.");

    /// <summary>Cancels the call (status CANCELLED unless it already ended) and resets the HTTP/2 stream.</summary>
    public void Cancel()
    {
        try
        {
            _callCts.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already disposed: nothing left to cancel.
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        if (FinalStatus is null)
        {
            Finish(new Status(StatusCode.Cancelled, "Call disposed before it completed."), new Metadata());
            Abort();
        }

        _cancelRegistration.Dispose();
        _response?.Dispose();
        _request?.Dispose(); // only now: HTTP/2 may still be streaming its content
        _callCts.Dispose();
        _deadlineCts.Dispose();
    }

    /// <summary>The final status, or null while the call runs (one atomic reference: status and trailers together).</summary>
    private Status? FinalStatus => Volatile.Read(ref _outcome)?.Status;

    private bool DeadlineExpired => _deadlineCts.IsCancellationRequested && !_options.CancellationToken.IsCancellationRequested;

    private static ReadOnlyMemoryContent Frame(TRequest request)
    {
        var buffer = new ArrayBufferWriter<byte>(request.CalculateSize() + GrpcProtocol.HeaderSize);
        MessageFraming.Write(buffer, request);
        return new ReadOnlyMemoryContent(buffer.WrittenMemory);
    }

    private void AddRequestHeaders(HttpRequestMessage message, TimeSpan? timeout)
    {
        var headers = message.Headers;
        headers.TryAddWithoutValidation("te", "trailers");
        headers.TryAddWithoutValidation("user-agent", GrpcProtocol.UserAgent);
        if (timeout is { } t)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcProtocol.FormatTimeout(t));
        }

        if (_options.Headers is { } metadata)
        {
            foreach (var entry in metadata)
            {
                headers.TryAddWithoutValidation(entry.Key, entry.Value);
            }
        }
    }

    private async Task<MessageReader?> SendAsync(HttpRequestMessage message)
    {
        try
        {
            var response = await _channel.Invoker.SendAsync(message, _callCts.Token).ConfigureAwait(false);
            lock (_lock)
            {
                _response = response;
            }

            if (_callCts.IsCancellationRequested)
            {
                response.Dispose();
                throw new OperationCanceledException(_callCts.Token);
            }

            return await OpenResponseAsync(response).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            Finish(ClientErrors.ToStatus(ex, DeadlineExpired, _callCts.IsCancellationRequested), new Metadata());
            throw CreateException();
        }
    }

    private async Task<MessageReader?> OpenResponseAsync(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var status = new Status(
                GrpcProtocol.FromHttpStatus((int)response.StatusCode),
                $"Bad gRPC response. HTTP status code: {(int)response.StatusCode}");
            FailWithMetadata(status, response.Headers);
            throw CreateException();
        }

        if (ClientErrors.TryGetStatus(response.Headers) is { } trailersOnly)
        {
            // Trailers-Only: the headers carry the status; there is no body.
            var metadata = ClientErrors.ReadMetadata(response.Headers);
            _headers.TrySetResult(metadata);
            Finish(trailersOnly, metadata);
            return null;
        }

        var contentType = response.Content.Headers.ContentType?.ToString();
        if (!GrpcProtocol.IsGrpcContentType(contentType))
        {
            FailWithMetadata(new Status(StatusCode.Internal, $"Bad gRPC response. Invalid content-type value: {contentType}"), response.Headers);
            throw CreateException();
        }

        _headers.TrySetResult(ClientErrors.ReadMetadata(response.Headers));
        var stream = await response.Content.ReadAsStreamAsync(_callCts.Token).ConfigureAwait(false);
        var encoding = response.Headers.TryGetValues(GrpcProtocol.EncodingHeader, out var values) ? values.FirstOrDefault() : null;
        return new MessageReader(PipeReader.Create(stream), _channel.MaxReceiveMessageSize, encoding?.ToLowerInvariant());
    }

    private void FailWithMetadata(Status status, HttpResponseHeaders headers)
    {
        Finish(status, ClientErrors.ReadMetadata(headers));
        Abort();
    }

    private void FinishFromTrailers()
    {
        var trailing = _response!.TrailingHeaders;
        var status = ClientErrors.TryGetStatus(trailing)
            ?? new Status(StatusCode.Unknown, "No grpc-status found on response.");
        Finish(status, ClientErrors.ReadMetadata(trailing));
    }

    private RpcException FailLocally(Status status)
    {
        CallOutcome outcome;
        lock (_lock)
        {
            outcome = new CallOutcome(status, _outcome?.Trailers ?? new Metadata());
            Volatile.Write(ref _outcome, outcome);
        }

        Abort();
        return new RpcException(outcome.Status, outcome.Trailers);
    }

    /// <summary>Settles the status once; later calls are ignored.</summary>
    private void Finish(Status status, Metadata trailers)
    {
        lock (_lock)
        {
            if (_outcome is not null)
            {
                return;
            }

            Volatile.Write(ref _outcome, new CallOutcome(status, trailers));
        }

        _headers.TrySetException(new RpcException(status, trailers));
        _requestContent?.Abort();
        _finished.TrySetResult(status);
    }

    private void OnCancelled()
    {
        var status = DeadlineExpired
            ? new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded")
            : new Status(StatusCode.Cancelled, "Call canceled by the client.");
        Finish(status, new Metadata());
        Abort();
    }

    /// <summary>Resets the HTTP/2 stream (RST_STREAM CANCEL) if the response is still open.</summary>
    private void Abort()
    {
        HttpResponseMessage? response;
        lock (_lock)
        {
            response = _response;
        }

        _requestContent?.Abort();
        if (!_callCts.IsCancellationRequested)
        {
            try
            {
                _callCts.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Disposed concurrently: the stream is already gone.
            }
        }

        response?.Dispose();
    }

    private CancellationTokenRegistration RegisterCancel(CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled
            ? cancellationToken.Register(static state => ((ClientCall<TRequest, TResponse>)state!).Cancel(), this)
            : default;

    private RpcException CreateException()
    {
        var outcome = Volatile.Read(ref _outcome);
        return new RpcException(outcome?.Status ?? new Status(StatusCode.Unknown, "Call failed."), outcome?.Trailers ?? new Metadata());
    }

    /// <summary>How the call ended.</summary>
    private sealed record CallOutcome(Status Status, Metadata Trailers);
}
