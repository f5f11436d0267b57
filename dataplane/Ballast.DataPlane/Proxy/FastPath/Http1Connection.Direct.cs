using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace Ballast.DataPlane.Proxy.FastPath;

/// <summary>
/// Direct sends (<see cref="Transport.IDirectSendFeature"/>): a request head, or a response received whole, goes to
/// the socket straight from the buffer it was received in, as HAProxy sends; what the socket does not take at once
/// goes through the output pipe as before.
/// </summary>
internal sealed partial class Http1Connection
{
    /// <summary>The direct sends of a server connection, when it is a socket of the node's own transport.</summary>
    private static Transport.IDirectSendFeature? DirectOf(ConnectionContext connection) =>
        connection is Transport.IDirectSendFeature direct && ReferenceEquals(direct.Output, connection.Transport.Output) ? direct : null;

    /// <summary>
    /// Sends the pieces, in order, straight to the socket as far as it takes them now, and writes the rest to
    /// <paramref name="writer"/> (which then needs a flush).
    /// </summary>
    /// <returns>True when everything went out: there is nothing to flush.</returns>
    private static bool SendOrWrite(
        Transport.IDirectSendFeature? direct, PipeWriter writer, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third)
    {
        var sent = direct?.TrySend(first, second, third) ?? 0;
        if (sent == first.Length + second.Length + third.Length)
        {
            return true;
        }

        WriteRest(writer, first, ref sent);
        WriteRest(writer, second, ref sent);
        WriteRest(writer, third, ref sent);
        return false;
    }

    /// <summary>Writes <paramref name="piece"/> but its first <paramref name="skip"/> bytes (already sent); takes them off <paramref name="skip"/>.</summary>
    private static void WriteRest(PipeWriter writer, ReadOnlySpan<byte> piece, ref int skip)
    {
        var skipped = Math.Min(skip, piece.Length);
        skip -= skipped;
        if (skipped < piece.Length)
        {
            writer.Write(piece[skipped..]);
        }
    }

    /// <summary>
    /// The length of a final response (head and body) when all of it is in <paramref name="received"/>: its body is
    /// absent (HEAD, 204, 304) or has a <c>Content-Length</c>; -1 otherwise (chunked, delimited by close, not all
    /// received yet, or a 1xx/101).
    /// </summary>
    private static int WholeResponseLength(Http1Head response, int headLength, bool noBody, ReadOnlySpan<byte> received)
    {
        if (response.Status < 200 || response.Status == 101)
        {
            return -1;
        }

        var bodyLength = noBody ? 0 : response.Chunked ? -1 : response.ContentLength;
        return bodyLength >= 0 && headLength + bodyLength <= received.Length ? headLength + (int)bodyLength : -1;
    }
}
