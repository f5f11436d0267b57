using System.Net;

namespace Ballast.Proto.Grpc;

/// <summary>
/// The open-ended request body of a client-streaming or duplex call. HTTP/2 hands it the request stream;
/// it first flushes (so the request HEADERS frame leaves at once instead of waiting for data), exposes the stream
/// to the writer, and returns (END_STREAM) when the caller completes the request stream or the call ends.
/// </summary>
internal sealed class DuplexRequestContent : HttpContent
{
    private readonly TaskCompletionSource<Stream> _stream = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<Stream> StreamTask => _stream.Task;

    /// <summary>Ends the request body normally (HTTP/2 END_STREAM).</summary>
    public void Complete() => _completed.TrySetResult();

    /// <summary>
    /// Ends the body because the call is over or cancelled: the body fails, so HTTP/2 resets the stream
    /// (RST_STREAM) instead of sending END_STREAM, and the server never mistakes a cancel for a clean end.
    /// </summary>
    public void Abort()
    {
        _stream.TrySetCanceled();
        _completed.TrySetException(new OperationCanceledException("The gRPC call ended before its request stream was completed."));
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        _stream.TrySetResult(stream);
        try
        {
            await _completed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !_completed.Task.IsCompleted)
        {
            // HTTP/2 cancelled the body: stream reset or connection lost, not a call cancellation of ours.
            throw new IOException("The HTTP/2 request stream was aborted.");
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
