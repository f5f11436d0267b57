using System.Buffers;
using System.Net;
using System.Text;
using Ballast.DataPlane.ProxyProtocol;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.ProxyProtocol;

public sealed class ProxyHeaderParserTests
{
    [Fact]
    public void V1Tcp4_GivesSourceAndDestination_AndLeavesTheRest()
    {
        var bytes = Ascii("PROXY TCP4 192.0.2.10 198.51.100.1 56324 443\r\nGET / HTTP/1.1\r\n");
        var status = ProxyHeaderParser.TryParse(new ReadOnlySequence<byte>(bytes), out var header, out var length, out _);

        Assert.Equal(ProxyParseStatus.Complete, status);
        Assert.Equal(1, header.Version);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.10"), 56324), header.Source);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.51.100.1"), 443), header.Destination);
        Assert.Equal("GET / HTTP/1.1\r\n", Encoding.ASCII.GetString(bytes, length, bytes.Length - length));
    }

    [Fact]
    public void V1Tcp6_GivesIpv6Endpoints()
    {
        var status = Parse("PROXY TCP6 2001:db8::1 ::1 1 65535\r\n", out var header);

        Assert.Equal(ProxyParseStatus.Complete, status);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::1"), 1), header.Source);
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 65535), header.Destination);
    }

    [Theory]
    [InlineData("PROXY UNKNOWN\r\n")]
    [InlineData("PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n")]
    public void V1Unknown_KeepsTheRealAddresses(string text)
    {
        Assert.Equal(ProxyParseStatus.Complete, Parse(text, out var header));
        Assert.False(header.HasAddresses);
    }

    [Theory]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1 2")]
    [InlineData("PROX")]
    [InlineData("\r\n\r\n\0\r\nQUIT\n\x21")]
    [InlineData("")]
    public void PartialHeader_IsIncomplete(string text) =>
        Assert.Equal(ProxyParseStatus.Incomplete, Parse(text, out _));

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n")]
    [InlineData("PROXZ TCP4 1.2.3.4 5.6.7.8 1 2\r\n")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n")]
    [InlineData("PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n")]
    [InlineData("PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n")]
    [InlineData("PROXY TCP4 1.2.3.256 5.6.7.8 1 2\r\n")]
    [InlineData("PROXY TCP4 ::1 5.6.7.8 1 2\r\n")]
    [InlineData("PROXY TCP6 1.2.3.4 ::1 1 2\r\n")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1 65536\r\n")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 -1 2\r\n")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n")]
    [InlineData("PROXY TCP4  1.2.3.4 5.6.7.8 1 2\r\n")]
    public void MalformedV1_IsInvalid(string text)
    {
        Assert.Equal(ProxyParseStatus.Invalid, Parse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void V1WithoutCrlfWithin107Bytes_IsInvalid()
    {
        var text = "PROXY UNKNOWN " + new string('x', 120);
        Assert.Equal(ProxyParseStatus.Invalid, Parse(text, out _, out var error));
        Assert.Contains("107", error, StringComparison.Ordinal);
    }

    [Fact]
    public void V2Inet_GivesSourceAndDestination_SkippingTlvs()
    {
        var header = ProxyHeaderWriter.Create(V1.ProxyProtocolVersion.ProxyProtocolV2, new IPEndPoint(IPAddress.Parse("203.0.113.9"), 40000), new IPEndPoint(IPAddress.Parse("10.0.0.1"), 8443));
        // Append a TLV (type 0x04 NOOP, length 3) inside the declared length, then payload.
        var withTlv = header.Concat(new byte[] { 0x04, 0x00, 0x03, 1, 2, 3 }).Concat(Ascii("rest")).ToArray();
        withTlv[15] += 6;

        var status = ProxyHeaderParser.TryParse(new ReadOnlySequence<byte>(withTlv), out var parsed, out var length, out _);

        Assert.Equal(ProxyParseStatus.Complete, status);
        Assert.Equal(2, parsed.Version);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("203.0.113.9"), 40000), parsed.Source);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 8443), parsed.Destination);
        Assert.Equal("rest", Encoding.ASCII.GetString(withTlv, length, withTlv.Length - length));
    }

    [Fact]
    public void V2Inet6_GivesIpv6Endpoints()
    {
        var bytes = ProxyHeaderWriter.Create(V1.ProxyProtocolVersion.ProxyProtocolV2, new IPEndPoint(IPAddress.Parse("2001:db8::5"), 1234), new IPEndPoint(IPAddress.Parse("2001:db8::6"), 443));

        Assert.Equal(16 + 36, bytes.Length);
        Assert.Equal(ProxyParseStatus.Complete, ProxyHeaderParser.TryParse(new ReadOnlySequence<byte>(bytes), out var header, out var length, out _));
        Assert.Equal(bytes.Length, length);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::5"), 1234), header.Source);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::6"), 443), header.Destination);
    }

    [Fact]
    public void V2Local_KeepsTheRealAddresses_AndSkipsItsBlock()
    {
        byte[] bytes = [.. ProxyHeaderParser.V2Signature, 0x20, 0x11, 0x00, 0x0C, .. new byte[12], (byte)'G'];

        Assert.Equal(ProxyParseStatus.Complete, ProxyHeaderParser.TryParse(new ReadOnlySequence<byte>(bytes), out var header, out var length, out _));
        Assert.False(header.HasAddresses);
        Assert.Equal(28, length);
    }

    [Fact]
    public void V2Unspec_KeepsTheRealAddresses()
    {
        byte[] bytes = [.. ProxyHeaderParser.V2Signature, 0x21, 0x00, 0x00, 0x00];

        Assert.Equal(ProxyParseStatus.Complete, ProxyHeaderParser.TryParse(new ReadOnlySequence<byte>(bytes), out var header, out _, out _));
        Assert.False(header.HasAddresses);
    }

    [Theory]
    [InlineData(0x11, 0x11, 12)] // version 1 in a v2 header
    [InlineData(0x22, 0x11, 12)] // command 2
    [InlineData(0x21, 0x11, 8)] // IPv4 block too short
    [InlineData(0x21, 0x21, 12)] // IPv6 block too short
    public void MalformedV2_IsInvalid(byte versionCommand, byte family, int blockLength)
    {
        byte[] bytes = [.. ProxyHeaderParser.V2Signature, versionCommand, family, 0x00, (byte)blockLength, .. new byte[blockLength]];

        Assert.Equal(ProxyParseStatus.Invalid, ProxyHeaderParser.TryParse(new ReadOnlySequence<byte>(bytes), out _, out _, out _));
    }

    [Fact]
    public void V2WithBadSignature_IsInvalid()
    {
        byte[] bytes = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x55, 0x0A, 0x21, 0x11, 0, 12];
        Assert.Equal(ProxyParseStatus.Invalid, ProxyHeaderParser.TryParse(new ReadOnlySequence<byte>(bytes), out _, out _, out _));
    }

    [Fact]
    public void V2SplitOverSegments_IsParsedOnceComplete()
    {
        var bytes = ProxyHeaderWriter.Create(V1.ProxyProtocolVersion.ProxyProtocolV2, new IPEndPoint(IPAddress.Parse("192.0.2.1"), 1), new IPEndPoint(IPAddress.Parse("192.0.2.2"), 2));
        Assert.Equal(ProxyParseStatus.Incomplete, ProxyHeaderParser.TryParse(new ReadOnlySequence<byte>(bytes, 0, 20), out _, out _, out _));
        Assert.Equal(ProxyParseStatus.Complete, ProxyHeaderParser.TryParse(Segmented(bytes, 5), out var header, out _, out _));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 1), header.Source);
    }

    [Fact]
    public void WriterV1_WritesHaproxysLine()
    {
        var tcp4 = ProxyHeaderWriter.Create(V1.ProxyProtocolVersion.ProxyProtocolV1, new IPEndPoint(IPAddress.Parse("192.0.2.1").MapToIPv6(), 5000), new IPEndPoint(IPAddress.Parse("192.0.2.2"), 80));
        var mixed = ProxyHeaderWriter.Create(V1.ProxyProtocolVersion.ProxyProtocolV1, new IPEndPoint(IPAddress.Parse("192.0.2.1"), 5000), new IPEndPoint(IPAddress.Parse("2001:db8::2"), 80));
        var unknown = ProxyHeaderWriter.Create(V1.ProxyProtocolVersion.ProxyProtocolV1, null, null);

        Assert.Equal("PROXY TCP4 192.0.2.1 192.0.2.2 5000 80\r\n", Encoding.ASCII.GetString(tcp4));
        Assert.Equal("PROXY TCP6 ::ffff:192.0.2.1 2001:db8::2 5000 80\r\n", Encoding.ASCII.GetString(mixed));
        Assert.Equal("PROXY UNKNOWN\r\n", Encoding.ASCII.GetString(unknown));
    }

    [Fact]
    public void WriterV2_WritesProxyCommandWithInetBlock()
    {
        var bytes = ProxyHeaderWriter.Create(V1.ProxyProtocolVersion.ProxyProtocolV2, new IPEndPoint(IPAddress.Parse("192.0.2.1"), 0x1234), new IPEndPoint(IPAddress.Parse("192.0.2.2"), 80));

        Assert.Equal(
            [.. ProxyHeaderParser.V2Signature, 0x21, 0x11, 0x00, 0x0C, 192, 0, 2, 1, 192, 0, 2, 2, 0x12, 0x34, 0x00, 80],
            bytes);
        var local = ProxyHeaderWriter.Create(V1.ProxyProtocolVersion.ProxyProtocolV2, null, null);
        Assert.Equal([.. ProxyHeaderParser.V2Signature, 0x20, 0x00, 0x00, 0x00], local);
    }

    private static ProxyParseStatus Parse(string text, out ProxyHeader header) => Parse(text, out header, out _);

    private static ProxyParseStatus Parse(string text, out ProxyHeader header, out string? error) =>
        ProxyHeaderParser.TryParse(new ReadOnlySequence<byte>(Ascii(text)), out header, out _, out error);

    private static byte[] Ascii(string text) => Encoding.Latin1.GetBytes(text);

    private static ReadOnlySequence<byte> Segmented(byte[] bytes, int size)
    {
        Segment? first = null;
        Segment? last = null;
        for (var offset = 0; offset < bytes.Length; offset += size)
        {
            var memory = bytes.AsMemory(offset, Math.Min(size, bytes.Length - offset));
            if (first is null)
            {
                first = last = new Segment(memory, 0);
            }
            else
            {
                last = last!.Append(memory);
            }
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
