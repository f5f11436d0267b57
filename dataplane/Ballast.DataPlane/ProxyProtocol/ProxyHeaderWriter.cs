using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.ProxyProtocol;

/// <summary>
/// Writes the PROXY protocol header a server gets with HAProxy <c>send-proxy</c> (v1 text) or <c>send-proxy-v2</c>
/// (v2 binary, no TLVs), as HAProxy's <c>make_proxy_line_v1/v2</c>: IPv4-mapped IPv6 addresses are written as IPv4;
/// both IPv4 → <c>TCP4</c> / family 0x11; otherwise both as IPv6 (an IPv4 side mapped) → <c>TCP6</c> / 0x21. Without
/// both addresses: v1 <c>PROXY UNKNOWN</c>, v2 the <c>LOCAL</c> command with an empty address block.
/// </summary>
internal static class ProxyHeaderWriter
{
    /// <summary>Creates the header bytes.</summary>
    /// <param name="version">v1 or v2.</param>
    /// <param name="source">The client's address and port (after any received PROXY header).</param>
    /// <param name="destination">The address and port the client connected to.</param>
    /// <returns>The header.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is none or unknown.</exception>
    public static byte[] Create(V1.ProxyProtocolVersion version, EndPoint? source, EndPoint? destination)
    {
        var (src, dst) = Normalize(source as IPEndPoint, destination as IPEndPoint);
        return version switch
        {
            V1.ProxyProtocolVersion.ProxyProtocolV1 => CreateV1(src, dst),
            V1.ProxyProtocolVersion.ProxyProtocolV2 => CreateV2(src, dst),
            _ => throw new ArgumentOutOfRangeException(nameof(version), version, "no PROXY protocol version to write"),
        };
    }

    private static (IPEndPoint? Source, IPEndPoint? Destination) Normalize(IPEndPoint? source, IPEndPoint? destination)
    {
        if (source is null || destination is null)
        {
            return (null, null);
        }

        var src = Unmap(source);
        var dst = Unmap(destination);
        if (src.AddressFamily == AddressFamily.InterNetwork && dst.AddressFamily == AddressFamily.InterNetwork)
        {
            return (src, dst);
        }

        return (ToV6(src), ToV6(dst));

        static IPEndPoint Unmap(IPEndPoint endPoint) =>
            endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

        static IPEndPoint ToV6(IPEndPoint endPoint) =>
            endPoint.AddressFamily == AddressFamily.InterNetwork ? new IPEndPoint(endPoint.Address.MapToIPv6(), endPoint.Port) : endPoint;
    }

    private static byte[] CreateV1(IPEndPoint? source, IPEndPoint? destination)
    {
        if (source is null || destination is null)
        {
            return "PROXY UNKNOWN\r\n"u8.ToArray();
        }

        var family = source.AddressFamily == AddressFamily.InterNetwork ? "TCP4" : "TCP6";
        return Encoding.ASCII.GetBytes(string.Create(
            CultureInfo.InvariantCulture,
            $"PROXY {family} {source.Address} {destination.Address} {source.Port} {destination.Port}\r\n"));
    }

    private static byte[] CreateV2(IPEndPoint? source, IPEndPoint? destination)
    {
        var v4 = source?.AddressFamily == AddressFamily.InterNetwork;
        var blockLength = source is null ? 0 : v4 ? 12 : 36;
        var header = new byte[16 + blockLength];
        ProxyHeaderParser.V2Signature.CopyTo(header);
        if (source is null || destination is null)
        {
            header[12] = 0x20; // version 2, LOCAL
            header[13] = 0x00; // UNSPEC
            return header;
        }

        header[12] = 0x21; // version 2, PROXY
        header[13] = v4 ? (byte)0x11 : (byte)0x21; // TCP over IPv4 / IPv6
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(14), (ushort)blockLength);
        var addressLength = v4 ? 4 : 16;
        source.Address.TryWriteBytes(header.AsSpan(16, addressLength), out _);
        destination.Address.TryWriteBytes(header.AsSpan(16 + addressLength, addressLength), out _);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(16 + (2 * addressLength)), (ushort)source.Port);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(18 + (2 * addressLength)), (ushort)destination.Port);
        return header;
    }
}
