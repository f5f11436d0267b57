using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ballast.Proto.Grpc;

/// <summary>The body of one call shape: reads requests, runs the user handler, writes responses.</summary>
internal delegate Task ServerCallBody<TRequest, TResponse>(
    ServerRequestStream<TRequest> requests, ServerResponseStream<TResponse> responses, ServerCallContext context)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>;

/// <summary>
/// Runs one gRPC method on an ASP.NET Core request (gRPC PROTOCOL-HTTP2): validates the request, applies
/// <c>grpc-timeout</c>, runs the handler and maps its outcome to <c>grpc-status</c>/<c>grpc-message</c>.
/// </summary>
internal sealed class ServerCallHandler<TRequest, TResponse>
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    private readonly Method<TRequest, TResponse> _method;
    private readonly ServerCallBody<TRequest, TResponse> _body;
    private readonly ILogger _logger;

    public ServerCallHandler(Method<TRequest, TResponse> method, ServerCallBody<TRequest, TResponse> body, ILogger logger)
    {
        _method = method;
        _body = body;
        _logger = logger;
    }

    public async Task HandleAsync(HttpContext http)
    {
        if (!ServerRequestValidation.TryAccept(http))
        {
            return;
        }

        var options = http.RequestServices.GetService<IOptions<GrpcServerOptions>>()?.Value ?? new GrpcServerOptions();
        var response = new ServerResponse(http.Response);
        var encoding = ServerRequestValidation.GetEncoding(http.Request);
        if (encoding is not (null or "identity" or "gzip"))
        {
            var unsupported = new Status(StatusCode.Unimplemented, $"Unsupported grpc-encoding '{encoding}'.");
            await response.TryCompleteAsync(unsupported, new Metadata(), options.CompletionWriteTimeout).ConfigureAwait(false);
            return;
        }

        var timeout = ServerRequestValidation.GetTimeout(http.Request);
        DateTime? deadline = timeout is { } t ? DateTime.UtcNow + t : null;
        var stopping = http.RequestServices.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        using var cancellation = new ServerCallCancellation(http.RequestAborted, stopping, timeout);
        var context = new ServerCallContext(
            http, _method.FullName, ServerRequestValidation.ReadMetadata(http.Request, _logger), deadline, cancellation.Token, response);
        var requests = new ServerRequestStream<TRequest>(
            new MessageReader(http.Request.BodyReader, options.MaxReceiveMessageSize, encoding),
            _method.RequestParser,
            response,
            cancellation.Token,
            startResponseBeforeRead: _method.Type == MethodType.DuplexStreaming);
        var responses = new ServerResponseStream<TResponse>(response, cancellation.Token);

        var handlerTask = InvokeAsync(requests, responses, context);
        await Task.WhenAny(handlerTask, cancellation.Cancelled).ConfigureAwait(false);
        if (!handlerTask.IsCompleted)
        {
            // Deadline, shutdown or client reset while the handler still runs: answer now, then wait for the handler.
            if (cancellation.StatusForReason is { } early)
            {
                await CompleteAsync(http, response, early, context, options).ConfigureAwait(false);
                await TryCompleteResponseAsync(http).ConfigureAwait(false);
            }

            await ObserveLateHandlerAsync(handlerTask).ConfigureAwait(false);
            return;
        }

        if (GetOutcome(handlerTask, context, cancellation) is { } final)
        {
            await CompleteAsync(http, response, final, context, options).ConfigureAwait(false);
        }
    }

    private async Task InvokeAsync(
        ServerRequestStream<TRequest> requests, ServerResponseStream<TResponse> responses, ServerCallContext context)
    {
        await Task.Yield();
        await _body(requests, responses, context).ConfigureAwait(false);
    }

    /// <summary>The status to send for a finished handler, or null when the client is gone.</summary>
    private Status? GetOutcome(Task handlerTask, ServerCallContext context, ServerCallCancellation cancellation)
    {
        var exception = handlerTask.Exception?.GetBaseException()
            ?? (handlerTask.IsCanceled ? new OperationCanceledException() : null);
        switch (exception)
        {
            case null:
                return context.Status;
            case RpcException rpc:
                _logger.LogDebug("gRPC {Method} ended with {Status}.", _method.FullName, rpc.Status);
                foreach (var entry in rpc.Trailers)
                {
                    CopyEntry(entry, context.ResponseTrailers);
                }

                return rpc.Status;
            case OperationCanceledException or IOException when cancellation.Reason == CancellationReason.ClientGone:
                _logger.LogDebug("gRPC {Method} cancelled by the client.", _method.FullName);
                return null;
            case OperationCanceledException or IOException when cancellation.StatusForReason is { } status:
                return status;
            case OperationCanceledException or IOException:
                _logger.LogDebug(exception, "gRPC {Method} cancelled.", _method.FullName);
                return new Status(StatusCode.Cancelled, "Call cancelled");
            default:
                _logger.LogError(exception, "gRPC {Method} handler threw an exception.", _method.FullName);
                return new Status(StatusCode.Unknown, "Exception was thrown by handler: " + exception.Message);
        }
    }

    private async Task CompleteAsync(
        HttpContext http, ServerResponse response, Status status, ServerCallContext context, GrpcServerOptions options)
    {
        try
        {
            if (!await response.TryCompleteAsync(status, context.ResponseTrailers, options.CompletionWriteTimeout).ConfigureAwait(false)
                && !response.IsCompleted)
            {
                _logger.LogDebug("gRPC {Method}: a write is stuck; resetting the stream.", _method.FullName);
                http.Abort();
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            _logger.LogDebug(ex, "gRPC {Method}: could not send the status {Status}.", _method.FullName, status);
        }
    }

    private async Task TryCompleteResponseAsync(HttpContext http)
    {
        try
        {
            await http.Response.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            _logger.LogDebug(ex, "gRPC {Method}: could not complete the response.", _method.FullName);
        }
    }

    private async Task ObserveLateHandlerAsync(Task handlerTask)
    {
        try
        {
            await handlerTask.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogDebug(ex, "gRPC {Method} handler ended after the call was over.", _method.FullName);
        }
    }

    private static void CopyEntry(Metadata.Entry entry, Metadata target)
    {
        if (entry.IsBinary)
        {
            target.Add(entry.Key, entry.ValueBytes);
        }
        else
        {
            target.Add(entry.Key, entry.Value);
        }
    }
}
