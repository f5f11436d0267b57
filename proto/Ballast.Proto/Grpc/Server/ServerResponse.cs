using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace Ballast.Proto.Grpc;

/// <summary>
/// Serialises everything written to one gRPC response: headers, messages (flushed one by one) and the final
/// status, as trailers or, before any message, as a Trailers-Only response (gRPC PROTOCOL-HTTP2 "Responses").
/// </summary>
internal sealed class ServerResponse
{
    private readonly HttpResponse _response;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private int _writePending;
    private bool _completed;

    public ServerResponse(HttpResponse response)
    {
        _response = response;
    }

    /// <summary>True once the final status has been written.</summary>
    public bool IsCompleted => Volatile.Read(ref _completed);

    public async Task WriteHeadersAsync(Metadata headers, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfCompleted();
            if (_response.HasStarted)
            {
                throw new InvalidOperationException("Response headers have already been sent.");
            }

            AppendMetadata(headers, (k, v) => _response.Headers.Append(k, v));
            await StartAndFlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Sends the response headers if not yet sent (duplex: before waiting for client messages).</summary>
    public async Task EnsureStartedAsync(CancellationToken cancellationToken)
    {
        if (_response.HasStarted)
        {
            return;
        }

        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_completed && !_response.HasStarted)
            {
                await StartAndFlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Writes one length-prefixed message and flushes it. One write at a time.</summary>
    public async Task WriteMessageAsync(IMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Interlocked.Exchange(ref _writePending, 1) == 1)
        {
            throw new InvalidOperationException("A write is already pending: await each WriteAsync before the next.");
        }

        try
        {
            await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                ThrowIfCompleted();
                MessageFraming.Write(_response.BodyWriter, message);
                var result = await _response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (result.IsCanceled)
                {
                    throw new OperationCanceledException("The write was cancelled.", cancellationToken);
                }
            }
            finally
            {
                _lock.Release();
            }
        }
        finally
        {
            Volatile.Write(ref _writePending, 0);
        }
    }

    /// <summary>
    /// Writes the final status and trailers once. Returns false when already completed, or when a pending write
    /// holds the response longer than <paramref name="lockTimeout"/>.
    /// </summary>
    public async Task<bool> TryCompleteAsync(Status status, Metadata trailers, TimeSpan lockTimeout)
    {
        if (!await _lock.WaitAsync(lockTimeout).ConfigureAwait(false))
        {
            return false;
        }

        try
        {
            if (_completed)
            {
                return false;
            }

            Volatile.Write(ref _completed, true);
            Action<string, string> append = _response.HasStarted
                ? (k, v) => _response.AppendTrailer(k, v)
                : (k, v) => _response.Headers.Append(k, v); // Trailers-Only
            append(GrpcProtocol.StatusHeader, GrpcProtocol.FormatStatusCode(status.Code));
            if (!string.IsNullOrEmpty(status.Detail))
            {
                append(GrpcProtocol.MessageHeader, PercentEncoding.Encode(status.Detail));
            }

            AppendMetadata(trailers, append);
            return true;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>StartAsync alone leaves the HEADERS frame buffered in Kestrel; the flush sends it.</summary>
    private async Task StartAndFlushAsync(CancellationToken cancellationToken)
    {
        await _response.StartAsync(cancellationToken).ConfigureAwait(false);
        await _response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private void ThrowIfCompleted()
    {
        if (_completed)
        {
            throw new InvalidOperationException("The call has already completed (status sent).");
        }
    }

    private static void AppendMetadata(Metadata metadata, Action<string, string> append)
    {
        foreach (var entry in metadata)
        {
            append(entry.Key, entry.Value);
        }
    }
}
