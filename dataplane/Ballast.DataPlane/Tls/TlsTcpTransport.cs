using System.IO.Pipelines;
using System.Net.Security;

namespace Ballast.DataPlane.Tls;

/// <summary>
/// The plaintext transport of a mode tcp connection whose TLS this node terminated: reads decrypt from the
/// <see cref="SslStream"/>; writes encrypt into it. Completing the output (the server sent its FIN) sends the TLS
/// <c>close_notify</c> and then completes the client's transport, so the client sees the end of the stream.
/// </summary>
internal sealed class TlsTcpTransport : IDuplexPipe
{
    /// <summary>Wraps <paramref name="ssl"/>, which runs over <paramref name="transport"/>.</summary>
    /// <param name="ssl">The authenticated stream.</param>
    /// <param name="transport">The client connection's original (encrypted) transport.</param>
    public TlsTcpTransport(SslStream ssl, IDuplexPipe transport)
    {
        Input = PipeReader.Create(ssl, new StreamPipeReaderOptions(leaveOpen: true));
        Output = new ClosingWriter(PipeWriter.Create(ssl, new StreamPipeWriterOptions(leaveOpen: true)), ssl, transport.Output);
    }

    /// <inheritdoc />
    public PipeReader Input { get; }

    /// <inheritdoc />
    public PipeWriter Output { get; }

    private sealed class ClosingWriter(PipeWriter inner, SslStream ssl, PipeWriter transport) : PipeWriter
    {
        private int _completed;

        public override void Advance(int bytes) => inner.Advance(bytes);

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => CompleteAsync(exception).AsTask().GetAwaiter().GetResult();

        public override async ValueTask CompleteAsync(Exception? exception = null)
        {
            if (Interlocked.Exchange(ref _completed, 1) != 0)
            {
                return;
            }

            await inner.CompleteAsync(exception).ConfigureAwait(false);
            try
            {
                await ssl.ShutdownAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
            {
                // The client is gone already.
            }

            await transport.CompleteAsync(exception).ConfigureAwait(false);
        }
    }
}
