using System.IO.Pipelines;

namespace Ballast.DataPlane.Transport;

/// <summary>
/// A connection whose bytes can go to the socket straight from the caller's buffers, skipping the output pipe (no
/// copy into it, no pass through its sender), when nothing written earlier is still waiting to be sent: as HAProxy
/// sends from the buffer the data was received in. Used by the HTTP/1.1 fast path for heads and whole responses.
/// </summary>
internal interface IDirectSendFeature
{
    /// <summary>
    /// The output these sends bypass. A caller checks it is the writer it would otherwise use: a layer between (TLS,
    /// a PROXY-protocol wrapper) has its own writer, and its bytes must not go to the socket raw.
    /// </summary>
    PipeWriter Output { get; }

    /// <summary>
    /// Sends <paramref name="first"/>, <paramref name="second"/> and <paramref name="third"/> in that order, now, as far
    /// as the socket takes them (empty pieces are skipped). Returns 0 without sending when that is not possible at
    /// this moment: off the connection's event loop, while earlier output is still unsent or unflushed, after the
    /// output completed, or on a socket error (which the caller's write to <see cref="Output"/> then meets).
    /// </summary>
    /// <returns>Bytes sent, from 0 to the sum of the lengths: the caller writes the rest to <see cref="Output"/> and
    /// flushes it.</returns>
    int TrySend(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third);
}
