using System.IO.Compression;
using Ballast.Proto.Grpc;
using Ballast.Proto.Tests.Echo;
using Ballast.Proto.Tests.TestSupport;
using Google.Protobuf;

namespace Ballast.Proto.Tests.Grpc.Server;

/// <summary>What our server puts on the wire, seen through a plain HTTP/2 client (gRPC PROTOCOL-HTTP2).</summary>
public sealed class ServerProtocolTests : IClassFixture<EchoServerFixture>, IDisposable
{
    private readonly EchoServerFixture _server;
    private readonly RawGrpcClient _client = new();

    public ServerProtocolTests(EchoServerFixture server) => _server = server;

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task Server_SuccessfulUnary_SendsMessageThenStatusInTrailers()
    {
        var response = await PostUnaryAsync(RawGrpcClient.Frame(new EchoRequest { Text = "raw" }));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("application/grpc", response.ContentType);
        Assert.False(response.Headers.ContainsKey("grpc-status"));
        Assert.Equal("0", response.Trailers["grpc-status"]);
        Assert.Equal("done", response.Trailers["x-trailer"]);
        Assert.Equal(RawGrpcClient.Frame(new EchoReply { Text = "raw" }), response.Body);
    }

    [Fact]
    public async Task Server_ErrorBeforeAnyMessage_IsTrailersOnly()
    {
        var request = new EchoRequest { FailCode = (int)StatusCode.NotFound, FailMessage = "no such thing: 100%" };

        var response = await PostUnaryAsync(RawGrpcClient.Frame(request));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("application/grpc", response.ContentType);
        Assert.Equal("5", response.Headers["grpc-status"]);
        Assert.Equal("no such thing: 100%25", response.Headers["grpc-message"]);
        Assert.Equal("failed", response.Headers["x-trailer"]);
        Assert.Equal("AAEC/w", response.Headers["x-error-bin"]);
        Assert.Empty(response.Body);
        Assert.Empty(response.Trailers);
    }

    [Fact]
    public async Task Server_GrpcProtoContentType_IsAccepted()
    {
        var response = await PostUnaryAsync(RawGrpcClient.Frame(new EchoRequest { Text = "p" }), "application/grpc+proto");
        Assert.Equal("0", response.Trailers["grpc-status"]);
    }

    [Fact]
    public async Task Server_NonGrpcContentType_Returns415()
    {
        var response = await PostUnaryAsync(RawGrpcClient.Frame(new EchoRequest()), "application/json");
        Assert.Equal(415, response.StatusCode);
    }

    [Fact]
    public async Task Server_UnknownPathWithoutGrpcContentType_Returns404()
    {
        var response = await _client.PostAsync(_server.Address, "/nope/Nothing", [], "application/json");
        Assert.Equal(404, response.StatusCode);
    }

    [Fact]
    public async Task Server_UnknownMethod_IsTrailersOnlyUnimplemented()
    {
        var response = await _client.PostAsync(_server.Address, "/ballast.test.v1.EchoService/Nope", RawGrpcClient.Frame(new EchoRequest()));
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("12", response.Headers["grpc-status"]);
    }

    [Fact]
    public async Task Server_OversizeRequest_ReturnsResourceExhausted()
    {
        var request = new EchoRequest { Payload = ByteString.CopyFrom(new byte[EchoServerFixture.MaxReceiveMessageSize + 1]) };

        var response = await PostUnaryAsync(RawGrpcClient.Frame(request));

        Assert.Equal("8", Status(response));
    }

    [Fact]
    public async Task Server_CompressedFlagWithoutEncoding_ReturnsInternal()
    {
        var response = await PostUnaryAsync(RawGrpcClient.Frame(new EchoRequest { Text = "x" }, flag: 1));
        Assert.Equal("13", Status(response));
    }

    [Fact]
    public async Task Server_GzipRequest_IsDecompressed()
    {
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            new EchoRequest { Text = "zipped" }.WriteTo(gzip);
        }

        var response = await PostUnaryAsync(RawGrpcClient.Frame(compressed.ToArray(), flag: 1), headers: new Dictionary<string, string> { ["grpc-encoding"] = "gzip" });

        Assert.Equal("0", Status(response));
        Assert.Equal(RawGrpcClient.Frame(new EchoReply { Text = "zipped" }), response.Body);
    }

    [Fact]
    public async Task Server_UnsupportedEncoding_ReturnsUnimplemented()
    {
        var response = await PostUnaryAsync(RawGrpcClient.Frame(new EchoRequest()), headers: new Dictionary<string, string> { ["grpc-encoding"] = "snappy" });
        Assert.Equal("12", Status(response));
        Assert.Contains("gzip", response.Headers["grpc-accept-encoding"]);
    }

    [Fact]
    public async Task Server_TruncatedRequestMessage_ReturnsInternal()
    {
        var framed = RawGrpcClient.Frame(new EchoRequest { Text = "truncated" });
        var response = await PostUnaryAsync(framed[..^3]);
        Assert.Equal("13", Status(response));
    }

    [Fact]
    public async Task Server_UnaryWithoutMessage_ReturnsInternal()
    {
        var response = await PostUnaryAsync([]);
        Assert.Equal("13", Status(response));
    }

    [Fact]
    public async Task Server_UnaryWithTwoMessages_ReturnsInternal()
    {
        var one = RawGrpcClient.Frame(new EchoRequest { Text = "1" });
        var response = await PostUnaryAsync([.. one, .. one]);
        Assert.Equal("13", Status(response));
    }

    [Fact]
    public async Task Server_GrpcTimeout_EndsSlowCallWithDeadlineExceeded()
    {
        var text = Guid.NewGuid().ToString("N");
        var response = await PostUnaryAsync(
            RawGrpcClient.Frame(new EchoRequest { Text = text, DelayMs = 10_000 }),
            headers: new Dictionary<string, string> { ["grpc-timeout"] = "200m" });

        Assert.Equal("4", Status(response));
        Assert.Equal("cancelled", await _server.Service.OutcomeOf(text).WaitAsync(TestTimeouts.Call));
        Assert.NotNull(_server.Service.Deadlines[text]);
    }

    [Fact]
    public async Task Server_NoGrpcTimeout_MeansNoDeadline()
    {
        var text = Guid.NewGuid().ToString("N");
        await PostUnaryAsync(RawGrpcClient.Frame(new EchoRequest { Text = text }));
        Assert.Null(_server.Service.Deadlines[text]);
    }

    private Task<RawResponse> PostUnaryAsync(byte[] body, string contentType = "application/grpc", Dictionary<string, string>? headers = null) =>
        _client.PostAsync(_server.Address, EchoMethods.Unary.FullName, body, contentType, headers);

    private static string Status(RawResponse response) =>
        response.Trailers.TryGetValue("grpc-status", out var status) ? status : response.Headers["grpc-status"];
}
