using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Ballast.DataPlane.Proxy.FastPath;

/// <summary>Bodies and tunnels: bytes pass through unchanged, delimited by their framing.</summary>
internal sealed partial class Http1Connection
{
    /// <summary>How a body copy ended.</summary>
    private enum BodyResult
    {
        /// <summary>The whole body was copied (the last piece is not flushed yet).</summary>
        Done,

        /// <summary>The source closed early or sent invalid chunked framing.</summary>
        SourceFailed,

        /// <summary>The source stayed silent past its timeout.</summary>
        SourceTimedOut,

        /// <summary>The destination is gone.</summary>
        DestinationFailed,

        /// <summary>The copy was stopped by the proxy (the response ended first).</summary>
        Stopped,
    }

    private async Task<BodyResult> CopyRequestBodyAsync(PipeWriter sout, bool chunked, long contentLength)
    {
        try
        {
            var result = await CopyBodyAsync(_cin, sout, chunked, contentLength, fromServer: false).ConfigureAwait(false);
            if (result == BodyResult.Done)
            {
                var flushed = await sout.FlushAsync().ConfigureAwait(false);
                return flushed.IsCompleted ? BodyResult.DestinationFailed : BodyResult.Done;
            }

            return result;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or Microsoft.AspNetCore.Connections.ConnectionAbortedException)
        {
            return BodyResult.SourceFailed;
        }
    }

    /// <summary>
    /// Copies one body from <paramref name="source"/> to <paramref name="destination"/>: <paramref name="contentLength"/>
    /// bytes, a chunked body (to its last chunk and trailers), or, for a response with neither, everything until the
    /// server closes. Flushes after each read except the last (the caller flushes), so a body already received with
    /// its head leaves in one write.
    /// </summary>
    [AsyncMethodBuilder(typeof(SharedPoolValueTaskBuilder<>))]
    private async ValueTask<BodyResult> CopyBodyAsync(PipeReader source, PipeWriter destination, bool chunked, long contentLength, bool fromServer)
    {
        var scanner = default(ChunkedScanner);
        var remaining = contentLength;
        var untilClose = !chunked && contentLength < 0;
        var timeout = fromServer ? _serverTimeout : _frontend.ClientTimeout;
        while (true)
        {
            if (fromServer)
            {
                Arm(ref _serverDeadline, timeout);
            }
            else
            {
                Arm(ref _clientDeadline, timeout);
            }

            var read = await source.ReadAsync().ConfigureAwait(false);
            var buffer = read.Buffer;
            if (read.IsCanceled)
            {
                source.AdvanceTo(buffer.Start);
                var timedOut = fromServer ? Volatile.Read(ref _serverTimedOut) == 1 : Volatile.Read(ref _clientTimedOut) == 1;
                return timedOut ? BodyResult.SourceTimedOut : BodyResult.Stopped;
            }

            long take;
            bool done;
            if (chunked)
            {
                take = scanner.Scan(buffer);
                if (take < 0)
                {
                    source.AdvanceTo(buffer.End);
                    return BodyResult.SourceFailed;
                }

                done = scanner.IsDone;
            }
            else if (untilClose)
            {
                take = buffer.Length;
                done = read.IsCompleted;
            }
            else
            {
                take = Math.Min(remaining, buffer.Length);
                remaining -= take;
                done = remaining == 0;
            }

            WriteSequence(destination, buffer.Slice(0, take));
            source.AdvanceTo(buffer.GetPosition(take));
            if (done)
            {
                DisarmSide(fromServer);
                return BodyResult.Done;
            }

            if (read.IsCompleted)
            {
                DisarmSide(fromServer);
                return BodyResult.SourceFailed;
            }

            var flushed = await destination.FlushAsync().ConfigureAwait(false);
            if (flushed.IsCompleted)
            {
                DisarmSide(fromServer);
                return BodyResult.DestinationFailed;
            }
        }
    }

    private void DisarmSide(bool fromServer)
    {
        if (fromServer)
        {
            Disarm(ref _serverDeadline);
        }
        else
        {
            Disarm(ref _clientDeadline);
        }
    }

    /// <summary>After a 101 response: bytes both ways until either side closes or stays silent past its timeout.</summary>
    private async Task TunnelAsync(PipeReader sin, PipeWriter sout)
    {
        var up = PumpAsync(_cin, sout, fromServer: false);
        var down = PumpAsync(sin, _cout, fromServer: true);
        await Task.WhenAny(up, down).ConfigureAwait(false);
        _cin.CancelPendingRead();
        sin.CancelPendingRead();
        await Task.WhenAll(up, down).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task PumpAsync(PipeReader source, PipeWriter destination, bool fromServer)
    {
        try
        {
            var result = await CopyBodyAsync(source, destination, chunked: false, contentLength: -1, fromServer).ConfigureAwait(false);
            if (result == BodyResult.Done)
            {
                await destination.FlushAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or Microsoft.AspNetCore.Connections.ConnectionAbortedException)
        {
            // one side is gone: the tunnel ends
        }
    }
}
