using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ballast.DataPlane.ProxyProtocol;

/// <summary>
/// Reads a PROXY protocol header, version 1 or 2 told apart by the first bytes as HAProxy <c>accept-proxy</c> does
/// (haproxy doc/proxy-protocol.txt): v1 is the text line <c>PROXY TCP4|TCP6|UNKNOWN ...\r\n</c> of at most 107 bytes;
/// v2 is the 12-byte signature, version/command, family/transport, a 16-bit length and the address block (TLVs after
/// it are skipped). Anything else, a v1 line without CRLF within 107 bytes, a bad address or port, a v2 version other
/// than 2, a command other than LOCAL/PROXY, or an address block shorter than its family needs is invalid.
/// </summary>
internal static class ProxyHeaderParser
{
    /// <summary>Longest v1 header including CRLF (proxy-protocol.txt section 2.1).</summary>
    public const int MaxV1Length = 107;

    /// <summary>Longest v2 header accepted (16-byte fixed part + address block + TLVs), HAProxy's buffer size.</summary>
    public const int MaxV2Length = 16 * 1024;

    /// <summary>The v2 signature.</summary>
    public static ReadOnlySpan<byte> V2Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    private static ReadOnlySpan<byte> V1Prefix => "PROXY "u8;

    /// <summary>Parses the header at the start of <paramref name="input"/>.</summary>
    /// <param name="input">Bytes received so far.</param>
    /// <param name="header">The header when <see cref="ProxyParseStatus.Complete"/>.</param>
    /// <param name="length">Bytes the header occupies when complete (the rest belongs to the next protocol).</param>
    /// <param name="error">Why the input is invalid.</param>
    public static ProxyParseStatus TryParse(ReadOnlySequence<byte> input, out ProxyHeader header, out int length, out string? error)
    {
        header = default;
        length = 0;
        error = null;
        if (input.IsEmpty)
        {
            return ProxyParseStatus.Incomplete;
        }

        var first = input.FirstSpan[0];
        if (first == V2Signature[0])
        {
            return ParseV2(input, out header, out length, out error);
        }

        if (first == V1Prefix[0])
        {
            return ParseV1(input, out header, out length, out error);
        }

        error = "not a PROXY protocol header";
        return ProxyParseStatus.Invalid;
    }

    private static ProxyParseStatus ParseV1(ReadOnlySequence<byte> input, out ProxyHeader header, out int length, out string? error)
    {
        header = default;
        length = 0;
        error = null;
        var available = (int)Math.Min(input.Length, MaxV1Length);
        Span<byte> bytes = stackalloc byte[MaxV1Length];
        input.Slice(0, available).CopyTo(bytes);
        var prefix = Math.Min(available, V1Prefix.Length);
        if (!bytes[..prefix].SequenceEqual(V1Prefix[..prefix]))
        {
            error = "not a PROXY protocol header";
            return ProxyParseStatus.Invalid;
        }

        var newline = bytes[..available].IndexOf((byte)'\n');
        if (newline < 0)
        {
            if (available >= MaxV1Length)
            {
                error = $"PROXY v1 header without CRLF in its first {MaxV1Length} bytes";
                return ProxyParseStatus.Invalid;
            }

            return ProxyParseStatus.Incomplete;
        }

        if (newline < V1Prefix.Length || bytes[newline - 1] != (byte)'\r')
        {
            error = "PROXY v1 header does not end with CRLF";
            return ProxyParseStatus.Invalid;
        }

        var line = Encoding.ASCII.GetString(bytes[V1Prefix.Length..(newline - 1)]);
        length = newline + 1;
        if (line == "UNKNOWN" || line.StartsWith("UNKNOWN ", StringComparison.Ordinal))
        {
            header = new ProxyHeader(1, null, null); // the receiver keeps the real addresses (section 2.1)
            return ProxyParseStatus.Complete;
        }

        var parts = line.Split(' ');
        if (parts.Length != 5 || parts[0] is not ("TCP4" or "TCP6"))
        {
            error = $"invalid PROXY v1 header 'PROXY {line}' (expected TCP4|TCP6 <src> <dst> <sport> <dport> or UNKNOWN)";
            length = 0;
            return ProxyParseStatus.Invalid;
        }

        var family = parts[0] == "TCP4" ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
        if (!TryParseAddress(parts[1], family, out var source)
            || !TryParseAddress(parts[2], family, out var destination)
            || !TryParsePort(parts[3], out var sourcePort)
            || !TryParsePort(parts[4], out var destinationPort))
        {
            error = $"invalid address or port in PROXY v1 header 'PROXY {line}'";
            length = 0;
            return ProxyParseStatus.Invalid;
        }

        header = new ProxyHeader(1, new IPEndPoint(source, sourcePort), new IPEndPoint(destination, destinationPort));
        return ProxyParseStatus.Complete;
    }

    private static ProxyParseStatus ParseV2(ReadOnlySequence<byte> input, out ProxyHeader header, out int length, out string? error)
    {
        header = default;
        length = 0;
        error = null;
        Span<byte> fixedPart = stackalloc byte[16];
        var available = (int)Math.Min(input.Length, fixedPart.Length);
        input.Slice(0, available).CopyTo(fixedPart);
        var signature = Math.Min(available, V2Signature.Length);
        if (!fixedPart[..signature].SequenceEqual(V2Signature[..signature]))
        {
            error = "not a PROXY protocol header";
            return ProxyParseStatus.Invalid;
        }

        if (available < fixedPart.Length)
        {
            return ProxyParseStatus.Incomplete;
        }

        var versionCommand = fixedPart[12];
        if ((versionCommand & 0xF0) != 0x20)
        {
            error = $"unsupported PROXY v2 version {versionCommand >> 4}";
            return ProxyParseStatus.Invalid;
        }

        var command = versionCommand & 0x0F;
        if (command > 1)
        {
            error = $"unsupported PROXY v2 command {command} (expected 0 LOCAL or 1 PROXY)";
            return ProxyParseStatus.Invalid;
        }

        var familyTransport = fixedPart[13];
        int blockLength = BinaryPrimitives.ReadUInt16BigEndian(fixedPart[14..]);
        var total = 16 + blockLength;
        if (total > MaxV2Length)
        {
            error = $"PROXY v2 header of {total} bytes is longer than {MaxV2Length}";
            return ProxyParseStatus.Invalid;
        }

        if (input.Length < total)
        {
            return ProxyParseStatus.Incomplete;
        }

        length = total;
        if (command == 0)
        {
            header = new ProxyHeader(2, null, null); // LOCAL: health check or the proxy's own connection
            return ProxyParseStatus.Complete;
        }

        var block = input.Slice(16, Math.Min((int)blockLength, 36)).ToArray();
        switch (familyTransport)
        {
            case 0x11 when blockLength >= 12: // TCP over IPv4
                header = new ProxyHeader(
                    2,
                    new IPEndPoint(new IPAddress(block.AsSpan(0, 4)), BinaryPrimitives.ReadUInt16BigEndian(block.AsSpan(8))),
                    new IPEndPoint(new IPAddress(block.AsSpan(4, 4)), BinaryPrimitives.ReadUInt16BigEndian(block.AsSpan(10))));
                return ProxyParseStatus.Complete;
            case 0x21 when blockLength >= 36: // TCP over IPv6
                header = new ProxyHeader(
                    2,
                    new IPEndPoint(new IPAddress(block.AsSpan(0, 16)), BinaryPrimitives.ReadUInt16BigEndian(block.AsSpan(32))),
                    new IPEndPoint(new IPAddress(block.AsSpan(16, 16)), BinaryPrimitives.ReadUInt16BigEndian(block.AsSpan(34))));
                return ProxyParseStatus.Complete;
            case 0x11 or 0x21:
                error = $"PROXY v2 address block of {blockLength} bytes is too short for its family";
                length = 0;
                return ProxyParseStatus.Invalid;
            default:
                // UNSPEC, UNIX or datagram: accepted, the real addresses are kept (proxy-protocol.txt section 2.2).
                header = new ProxyHeader(2, null, null);
                return ProxyParseStatus.Complete;
        }
    }

    private static bool TryParseAddress(string text, AddressFamily family, out IPAddress address)
    {
        address = IPAddress.None;
        if (family == AddressFamily.InterNetwork)
        {
            // Strict dotted quad (IPAddress.TryParse also takes "1", "0x7f.1", ...).
            var octets = text.Split('.');
            if (octets.Length != 4)
            {
                return false;
            }

            Span<byte> bytes = stackalloc byte[4];
            for (var i = 0; i < 4; i++)
            {
                if (octets[i].Length is 0 or > 3 || !octets[i].All(char.IsAsciiDigit) || int.Parse(octets[i], System.Globalization.CultureInfo.InvariantCulture) > 255)
                {
                    return false;
                }

                bytes[i] = byte.Parse(octets[i], System.Globalization.CultureInfo.InvariantCulture);
            }

            address = new IPAddress(bytes);
            return true;
        }

        return text.Contains(':', StringComparison.Ordinal)
            && !text.Contains('%', StringComparison.Ordinal)
            && IPAddress.TryParse(text, out address!)
            && address.AddressFamily == AddressFamily.InterNetworkV6;
    }

    private static bool TryParsePort(string text, out int port)
    {
        port = 0;
        return text.Length is > 0 and <= 5
            && text.All(char.IsAsciiDigit)
            && int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port)
            && port <= 65535;
    }
}
