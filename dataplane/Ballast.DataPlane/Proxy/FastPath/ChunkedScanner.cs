using System.Buffers;

namespace Ballast.DataPlane.Proxy.FastPath;

/// <summary>
/// Follows a chunked body (RFC 9112 7.1) as it streams through, byte ranges unchanged, to find where it ends: chunk
/// size lines (hex size, optional extensions), data, the CRLF after each chunk, the last chunk and the trailer
/// section. The state survives across reads, so a body may be split anywhere.
/// </summary>
internal struct ChunkedScanner
{
    private State _state;
    private long _remaining;
    private int _sizeDigits;
    private bool _lineEmpty;

    private enum State
    {
        Size,
        Extension,
        SizeLf,
        Data,
        DataCr,
        DataLf,
        TrailerLineStart,
        Trailer,
        TrailerLf,
        Done,
    }

    /// <summary>Whether the whole body (trailers included) has been seen.</summary>
    public readonly bool IsDone => _state == State.Done;

    /// <summary>
    /// Consumes as much of <paramref name="buffer"/> as belongs to the body.
    /// </summary>
    /// <param name="buffer">Bytes received after what was consumed before.</param>
    /// <returns>Bytes of the body in <paramref name="buffer"/>, or -1 when the framing is invalid.</returns>
    public long Scan(in ReadOnlySequence<byte> buffer)
    {
        long consumed = 0;
        foreach (var memory in buffer)
        {
            var span = memory.Span;
            var i = 0;
            while (i < span.Length)
            {
                if (_state == State.Done)
                {
                    return consumed + i;
                }

                if (_state == State.Data)
                {
                    var take = (int)Math.Min(_remaining, span.Length - i);
                    i += take;
                    _remaining -= take;
                    if (_remaining == 0)
                    {
                        _state = State.DataCr;
                    }

                    continue;
                }

                if (!Step(span[i]))
                {
                    return -1;
                }

                i++;
            }

            consumed += span.Length;
        }

        return consumed;
    }

    private bool Step(byte b)
    {
        switch (_state)
        {
            case State.Size:
                var digit = HexValue(b);
                if (digit >= 0)
                {
                    if (++_sizeDigits > 15)
                    {
                        return false;
                    }

                    _remaining = (_remaining << 4) | (uint)digit;
                    return true;
                }

                if (_sizeDigits == 0)
                {
                    return false;
                }

                if (b == (byte)'\r')
                {
                    _state = State.SizeLf;
                    return true;
                }

                if (b is (byte)';' or (byte)' ' or (byte)'\t')
                {
                    _state = State.Extension;
                    return true;
                }

                return false;
            case State.Extension:
                if (b == (byte)'\r')
                {
                    _state = State.SizeLf;
                }

                return b != (byte)'\n';
            case State.SizeLf:
                if (b != (byte)'\n')
                {
                    return false;
                }

                _sizeDigits = 0;
                if (_remaining == 0)
                {
                    _state = State.TrailerLineStart;
                }
                else
                {
                    _state = State.Data;
                }

                return true;
            case State.DataCr:
                _state = State.DataLf;
                return b == (byte)'\r';
            case State.DataLf:
                _state = State.Size;
                _remaining = 0;
                return b == (byte)'\n';
            case State.TrailerLineStart:
                _lineEmpty = b == (byte)'\r';
                _state = _lineEmpty ? State.TrailerLf : State.Trailer;
                return b != (byte)'\n';
            case State.Trailer:
                if (b == (byte)'\r')
                {
                    _state = State.TrailerLf;
                }

                return b != (byte)'\n';
            case State.TrailerLf:
                if (b != (byte)'\n')
                {
                    return false;
                }

                _state = _lineEmpty ? State.Done : State.TrailerLineStart;
                return true;
            default:
                return false;
        }
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
