using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Ballast.DataPlane.Proxy.FastPath;

/// <summary>
/// HTTP/1.x head parsing over the bytes as received: request line or status line, then header lines, reading only
/// <c>Content-Length</c>, <c>Transfer-Encoding</c>, <c>Connection</c>, <c>Upgrade</c> and <c>Expect</c>. Strict
/// where request smuggling lives (RFC 9112): conflicting lengths, <c>Content-Length</c> with
/// <c>Transfer-Encoding</c>, whitespace before the colon, obsolete line folding, control characters and bare LF
/// are refused.
/// </summary>
internal static class Http1Parser
{
    /// <summary>Largest request or response head accepted, in bytes (HAProxy: <c>tune.bufsize</c> 16384 less <c>tune.maxrewrite</c> 1024).</summary>
    public const int MaxHeadSize = 15360;

    /// <summary>Most header lines accepted (HAProxy <c>tune.http.maxhdr</c> 101).</summary>
    public const int MaxHeaders = 101;

    private static ReadOnlySpan<byte> HeadEnd => "\r\n\r\n"u8;

    /// <summary>Finds the end of the head at the start of <paramref name="buffer"/>.</summary>
    /// <param name="buffer">Received bytes.</param>
    /// <returns>The head length (final CRLF CRLF included), or -1 when incomplete.</returns>
    public static int FindHeadEnd(in ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsSingleSegment)
        {
            var index = buffer.FirstSpan.IndexOf(HeadEnd);
            return index < 0 ? -1 : index + 4;
        }

        var reader = new SequenceReader<byte>(buffer);
        return reader.TryReadTo(out ReadOnlySequence<byte> _, HeadEnd, advancePastDelimiter: true) ? (int)reader.Consumed : -1;
    }

    /// <summary>Parses a request head.</summary>
    /// <param name="head">The head bytes (<see cref="FindHeadEnd"/> long).</param>
    /// <param name="result">Receives the facts.</param>
    /// <returns>0 when valid, else the status to answer (400).</returns>
    public static int ParseRequest(ReadOnlySpan<byte> head, Http1Head result)
    {
        result.Reset();
        result.Length = head.Length;
        var lineEnd = head.IndexOf("\r\n"u8);
        var line = head[..lineEnd];
        var sp1 = line.IndexOf((byte)' ');
        if (sp1 <= 0 || !IsToken(line[..sp1]))
        {
            return 400;
        }

        var rest = line[(sp1 + 1)..];
        var sp2 = rest.IndexOf((byte)' ');
        if (sp2 <= 0)
        {
            return 400;
        }

        var target = rest[..sp2];
        var version = rest[(sp2 + 1)..];
        if (!TryVersion(version, out var minor) || !IsTarget(target))
        {
            return 400;
        }

        result.MinorVersion = minor;
        result.Method = (0, sp1);
        result.Target = (sp1 + 1, sp2);
        result.IsHead = line[..sp1].SequenceEqual("HEAD"u8);
        var status = ParseHeaders(head[(lineEnd + 2)..], result, request: true);
        if (status != 0)
        {
            return status;
        }

        if (result.Chunked && minor == 0)
        {
            return 400;
        }

        return 0;
    }

    /// <summary>Parses a response head.</summary>
    /// <param name="head">The head bytes.</param>
    /// <param name="result">Receives the facts.</param>
    /// <returns>Whether it is valid (an invalid response is answered 502).</returns>
    public static bool ParseResponse(ReadOnlySpan<byte> head, Http1Head result)
    {
        result.Reset();
        result.Length = head.Length;
        var lineEnd = head.IndexOf("\r\n"u8);
        var line = head[..lineEnd];
        if (line.Length < 12 || !TryVersion(line[..8], out var minor) || line[8] != (byte)' '
            || !Utf8Parser.TryParse(line.Slice(9, 3), out int status, out var used) || used != 3 || status < 100
            || (line.Length > 12 && line[12] != (byte)' '))
        {
            return false;
        }

        result.MinorVersion = minor;
        result.Status = status;
        return ParseHeaders(head[(lineEnd + 2)..], result, request: false) == 0;
    }

    private static int ParseHeaders(ReadOnlySpan<byte> block, Http1Head result, bool request)
    {
        var count = 0;
        var hasUpgrade = false;
        var connectionUpgrade = false;
        var hasTransferEncoding = false;
        while (true)
        {
            var end = block.IndexOf((byte)'\n');
            if (end <= 0 || block[end - 1] != (byte)'\r')
            {
                return 400; // bare LF
            }

            var line = block[..(end - 1)];
            block = block[(end + 1)..];
            if (line.IsEmpty)
            {
                break;
            }

            if (++count > MaxHeaders)
            {
                return 400;
            }

            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || !IsToken(line[..colon]))
            {
                return 400; // no name, whitespace before the colon, obs-fold
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(" \t"u8);
            if (value.IndexOfAnyInRange((byte)0, (byte)8) >= 0 || value.IndexOfAnyInRange((byte)10, (byte)31) >= 0 || value.Contains((byte)127))
            {
                return 400;
            }

            if (name.Length == 14 && Ascii.EqualsIgnoreCase(name, "content-length"u8))
            {
                if (!TryContentLength(value, out var length) || (result.ContentLength >= 0 && result.ContentLength != length))
                {
                    return 400;
                }

                result.ContentLength = length;
            }
            else if (name.Length == 17 && Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8))
            {
                hasTransferEncoding = true;
                var last = LastToken(value);
                if (!Ascii.EqualsIgnoreCase(last, "chunked"u8))
                {
                    if (request)
                    {
                        return 400; // RFC 9112 6.3: chunked not final, the length cannot be determined
                    }

                    result.Chunked = false; // response: read until close
                }
                else
                {
                    if (result.Chunked)
                    {
                        return 400; // chunked twice
                    }

                    result.Chunked = true;
                }
            }
            else if (name.Length == 10 && Ascii.EqualsIgnoreCase(name, "connection"u8))
            {
                ReadConnection(value, result, ref connectionUpgrade);
            }
            else if (request && name.Length == 7 && Ascii.EqualsIgnoreCase(name, "upgrade"u8))
            {
                hasUpgrade = true;
            }
            else if (request && name.Length == 6 && Ascii.EqualsIgnoreCase(name, "expect"u8))
            {
                result.ExpectContinue = Ascii.EqualsIgnoreCase(value, "100-continue"u8);
            }
        }

        if (hasTransferEncoding && result.ContentLength >= 0)
        {
            if (request)
            {
                return 400; // both framings: refused (request smuggling)
            }

            result.ContentLength = -1; // response: Transfer-Encoding wins (RFC 9112 6.3)
        }

        if (hasTransferEncoding && !result.Chunked && !request)
        {
            result.ContentLength = -1;
        }

        result.Upgrade = hasUpgrade && connectionUpgrade;
        return 0;
    }

    private static void ReadConnection(ReadOnlySpan<byte> value, Http1Head result, ref bool upgrade)
    {
        while (!value.IsEmpty)
        {
            var comma = value.IndexOf((byte)',');
            var token = (comma < 0 ? value : value[..comma]).Trim(" \t"u8);
            value = comma < 0 ? default : value[(comma + 1)..];
            if (Ascii.EqualsIgnoreCase(token, "close"u8))
            {
                result.ConnectionClose = true;
            }
            else if (Ascii.EqualsIgnoreCase(token, "keep-alive"u8))
            {
                result.ConnectionKeepAlive = true;
            }
            else if (Ascii.EqualsIgnoreCase(token, "upgrade"u8))
            {
                upgrade = true;
            }
            else if (!token.IsEmpty)
            {
                result.ConnectionOther = true;
            }
        }
    }

    private static ReadOnlySpan<byte> LastToken(ReadOnlySpan<byte> value)
    {
        var comma = value.LastIndexOf((byte)',');
        var last = comma < 0 ? value : value[(comma + 1)..];
        var semicolon = last.IndexOf((byte)';');
        return (semicolon < 0 ? last : last[..semicolon]).Trim(" \t"u8);
    }

    private static bool TryContentLength(ReadOnlySpan<byte> value, out long length)
    {
        // "5" or an identical list "5, 5" (RFC 9110 8.6).
        length = -1;
        while (!value.IsEmpty)
        {
            var comma = value.IndexOf((byte)',');
            var item = (comma < 0 ? value : value[..comma]).Trim(" \t"u8);
            value = comma < 0 ? default : value[(comma + 1)..];
            if (item.IsEmpty || item.Length > 18 || item.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0
                || !Utf8Parser.TryParse(item, out long parsed, out _)
                || (length >= 0 && parsed != length))
            {
                return false;
            }

            length = parsed;
        }

        return length >= 0;
    }

    private static bool TryVersion(ReadOnlySpan<byte> version, out int minor)
    {
        minor = 1;
        if (version.Length != 8 || !version[..7].SequenceEqual("HTTP/1."u8))
        {
            return false;
        }

        minor = version[7] - '0';
        return minor is 0 or 1;
    }

    private static bool IsTarget(ReadOnlySpan<byte> target) =>
        target.IndexOfAnyInRange((byte)0, (byte)32) < 0 && !target.Contains((byte)127);

    private static bool IsToken(ReadOnlySpan<byte> token)
    {
        foreach (var b in token)
        {
            if (b <= 32 || b >= 127 || "\"(),/:;<=>?@[\\]{}"u8.Contains(b))
            {
                return false;
            }
        }

        return !token.IsEmpty;
    }
}
