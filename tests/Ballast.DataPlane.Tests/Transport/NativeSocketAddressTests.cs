using System.Net;
using Ballast.DataPlane.Transport;

namespace Ballast.DataPlane.Tests.Transport;

public sealed class NativeSocketAddressTests
{
    [Fact]
    public void Ipv4_IsSockaddrIn_AndReadsBack()
    {
        var buffer = new byte[NativeSocketAddress.MaxSize];
        var length = NativeSocketAddress.Write(new IPEndPoint(IPAddress.Parse("10.1.2.3"), 8080), buffer);

        Assert.Equal(16, length);
        Assert.Equal(new byte[] { 2, 0, 0x1F, 0x90, 10, 1, 2, 3 }, buffer[..8]); // AF_INET, port 8080 in network order, address
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.1.2.3"), 8080), NativeSocketAddress.Read(buffer.AsSpan(0, length)));
    }

    [Fact]
    public void Ipv6_IsSockaddrIn6_WithScope_AndReadsBack()
    {
        var endPoint = new IPEndPoint(IPAddress.Parse("fe80::1%3"), 443);
        var buffer = new byte[NativeSocketAddress.MaxSize];
        var length = NativeSocketAddress.Write(endPoint, buffer);

        Assert.Equal(28, length);
        Assert.Equal(new byte[] { 10, 0, 0x01, 0xBB }, buffer[..4]); // AF_INET6, port 443
        Assert.Equal(0xFE, buffer[8]);
        Assert.Equal(3u, BitConverter.ToUInt32(buffer, 24));
        var read = NativeSocketAddress.Read(buffer.AsSpan(0, length));
        Assert.Equal(endPoint, read);
        Assert.Equal(3, read!.Address.ScopeId);
    }

    [Fact]
    public void OtherFamilies_ReadAsNull()
    {
        var unix = new byte[NativeSocketAddress.MaxSize];
        unix[0] = 1; // AF_UNIX
        Assert.Null(NativeSocketAddress.Read(unix));
    }
}
