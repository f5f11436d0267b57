using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Ballast.DataPlane.Transport;

/// <summary>
/// Linux <c>sockaddr_in</c> (16 bytes) and <c>sockaddr_in6</c> (28 bytes) to and from <see cref="IPEndPoint"/>:
/// family in host order, port in network order, then the address (and IPv6 flow info and scope id).
/// </summary>
internal static class NativeSocketAddress
{
    /// <summary>Bytes enough for either family.</summary>
    public const int MaxSize = 28;

    /// <summary>Writes <paramref name="endPoint"/> into <paramref name="buffer"/>.</summary>
    /// <param name="endPoint">IPv4 or IPv6 end point.</param>
    /// <param name="buffer">At least <see cref="MaxSize"/> bytes.</param>
    /// <returns>The length of the sockaddr written.</returns>
    /// <exception cref="NotSupportedException">Neither IPv4 nor IPv6.</exception>
    public static int Write(IPEndPoint endPoint, Span<byte> buffer)
    {
        buffer[..MaxSize].Clear();
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], (ushort)endPoint.Port);
        switch (endPoint.AddressFamily)
        {
            case AddressFamily.InterNetwork:
                BitConverter.TryWriteBytes(buffer, (ushort)Libc.AF_INET);
                endPoint.Address.TryWriteBytes(buffer[4..8], out _);
                return 16;
            case AddressFamily.InterNetworkV6:
                BitConverter.TryWriteBytes(buffer, (ushort)Libc.AF_INET6);
                endPoint.Address.TryWriteBytes(buffer[8..24], out _);
                BitConverter.TryWriteBytes(buffer[24..], (uint)endPoint.Address.ScopeId);
                return 28;
            default:
                throw new NotSupportedException($"address family {endPoint.AddressFamily} is not supported");
        }
    }

    /// <summary>Reads a sockaddr written by the kernel; null for a family other than IPv4 and IPv6.</summary>
    /// <param name="buffer">The sockaddr.</param>
    public static IPEndPoint? Read(ReadOnlySpan<byte> buffer)
    {
        var family = BitConverter.ToUInt16(buffer);
        var port = BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]);
        return family switch
        {
            Libc.AF_INET => new IPEndPoint(new IPAddress(buffer[4..8]), port),
            Libc.AF_INET6 => new IPEndPoint(new IPAddress(buffer[8..24], BitConverter.ToUInt32(buffer[24..])), port),
            _ => null,
        };
    }
}
