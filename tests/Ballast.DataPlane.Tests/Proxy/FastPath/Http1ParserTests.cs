using System.Buffers;
using System.Text;
using Ballast.DataPlane.Proxy.FastPath;

namespace Ballast.DataPlane.Tests.Proxy.FastPath;

/// <summary>HTTP/1.x head parsing and chunked framing of the fast path.</summary>
public sealed class Http1ParserTests
{
    private static int Parse(string head, out Http1Head result)
    {
        result = new Http1Head();
        return Http1Parser.ParseRequest(Encoding.ASCII.GetBytes(head), result);
    }

    [Fact]
    public void Request_ReadsFramingAndConnectionFacts()
    {
        Assert.Equal(0, Parse("POST /a?b=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n", out var head));
        Assert.Equal(12, head.ContentLength);
        Assert.True(head.ExpectContinue);
        Assert.False(head.KeepAlive);
        Assert.Equal((5, 6), head.Target);

        Assert.Equal(0, Parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", out head));
        Assert.True(head.KeepAlive);
        Assert.Equal(0, Parse("GET / HTTP/1.0\r\n\r\n", out head));
        Assert.False(head.KeepAlive);
        Assert.Equal(0, Parse("GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", out head));
        Assert.True(head.Upgrade);
        Assert.Equal(0, Parse("HEAD / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", out head));
        Assert.True(head.IsHead);
        Assert.True(head.Chunked);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\nHost: x\r\n\r\n", 400)]
    [InlineData("GET / HTTP/2.0\r\n\r\n", 400)]
    [InlineData("GET  / HTTP/1.1\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400)]
    public void Request_RefusesInvalidOrAmbiguousHeads(string head, int status) => Assert.Equal(status, Parse(head, out _));

    [Fact]
    public void Request_AcceptsAnIdenticalContentLengthList()
    {
        Assert.Equal(0, Parse("POST / HTTP/1.1\r\nContent-Length: 5, 5\r\n\r\n", out var head));
        Assert.Equal(5, head.ContentLength);
    }

    [Fact]
    public void Response_TransferEncodingWinsOverContentLength()
    {
        var head = new Http1Head();
        Assert.True(Http1Parser.ParseResponse("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"u8, head));
        Assert.True(head.Chunked);
        Assert.Equal(-1, head.ContentLength);
        Assert.True(Http1Parser.ParseResponse("HTTP/1.0 304\r\n\r\n"u8, head));
        Assert.Equal(304, head.Status);
        Assert.False(head.KeepAlive);
        Assert.False(Http1Parser.ParseResponse("HTTP/1.1 2000 OK\r\n\r\n"u8, head));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(1000)]
    public void Chunked_FindsTheEnd_WhereverTheBodyIsSplit(int pieceSize)
    {
        var body = "5;ext=1\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nTrailer: x\r\n\r\n";
        var bytes = Encoding.ASCII.GetBytes(body + "GET /next");
        var scanner = default(ChunkedScanner);
        long total = 0;
        for (var offset = 0; offset < bytes.Length && !scanner.IsDone; offset += pieceSize)
        {
            var piece = bytes.AsSpan(offset, Math.Min(pieceSize, bytes.Length - offset)).ToArray();
            var taken = scanner.Scan(new ReadOnlySequence<byte>(piece));
            Assert.True(taken >= 0);
            total += taken;
        }

        Assert.True(scanner.IsDone);
        Assert.Equal(body.Length, total);
    }

    [Theory]
    [InlineData("x\r\n")]
    [InlineData("5\r\nhelloXX")]
    [InlineData("5\nhello")]
    public void Chunked_RefusesInvalidFraming(string body)
    {
        var scanner = default(ChunkedScanner);
        Assert.Equal(-1, scanner.Scan(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(body))));
    }
}
