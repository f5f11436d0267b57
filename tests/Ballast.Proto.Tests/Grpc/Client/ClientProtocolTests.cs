using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Ballast.Proto.Grpc;
using Ballast.Proto.Tests.Echo;
using Ballast.Proto.Tests.TestSupport;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Ballast.Proto.Tests.Grpc.Client;

public sealed class ClientProtocolTests
{
    [Fact]
    public async Task Client_SendsGrpcRequestHeaders()
    {
        var seen = new ConcurrentDictionary<string, string>();
        await using var server = await GrpcTestServer.StartAsync(e => e.MapGrpcUnary(EchoMethods.Unary, (request, context) =>
        {
            foreach (var (key, value) in context.HttpContext.Request.Headers)
            {
                seen[key.ToLowerInvariant()] = value.ToString();
            }

            return Task.FromResult(new EchoReply());
        }));
        using var channel = server.CreateChannel();

        await channel.UnaryAsync(EchoMethods.Unary, new EchoRequest(), new CallOptions(Deadline: DateTime.UtcNow.AddSeconds(20)))
            .WaitAsync(TestTimeouts.Call);

        Assert.Equal("application/grpc", seen["content-type"]);
        Assert.Equal("trailers", seen["te"]);
        Assert.StartsWith("grpc-dotnet-ballast/", seen["user-agent"]);
        Assert.Matches(new Regex("^[0-9]{1,8}m$"), seen["grpc-timeout"]);
        Assert.InRange(int.Parse(seen["grpc-timeout"].TrimEnd('m'), System.Globalization.CultureInfo.InvariantCulture), 15_000, 20_000);
    }

    [Fact]
    public async Task Client_OversizeResponse_ThrowsResourceExhausted()
    {
        await using var server = await GrpcTestServer.StartAsync(e => new EchoService().Map(e));
        using var channel = server.CreateChannel(new GrpcChannelOptions { MaxReceiveMessageSize = 1024 });
        var request = new EchoRequest { Payload = ByteString.CopyFrom(new byte[4096]) };

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoMethods.Unary, request).WaitAsync(TestTimeouts.Call));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task Client_Http404WithoutGrpcStatus_MapsToUnimplemented()
    {
        await using var server = await GrpcTestServer.StartAsync(_ => { });
        using var channel = server.CreateChannel();

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoMethods.Unary, new EchoRequest()).WaitAsync(TestTimeouts.Call));

        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }

    [Fact]
    public async Task Client_NonGrpcContentType_IsInternal()
    {
        await using var server = await GrpcTestServer.StartAsync(e => e.MapPost(EchoMethods.Unary.FullName, (HttpContext http) =>
            http.Response.WriteAsync("not grpc")));
        using var channel = server.CreateChannel();

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoMethods.Unary, new EchoRequest()).WaitAsync(TestTimeouts.Call));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task Client_ServerResetsStream_MapsToCancelled()
    {
        await using var server = await GrpcTestServer.StartAsync(e => e.MapGrpcDuplexStreaming(EchoMethods.Bidi, async (requests, responses, context) =>
        {
            await responses.WriteAsync(new EchoReply { Text = "one" });
            context.HttpContext.Abort();
        }));
        using var channel = server.CreateChannel();
        using var call = channel.DuplexStreaming(EchoMethods.Bidi);

        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
            }
        }).WaitAsync(TestTimeouts.Call);

        Assert.Contains(ex.StatusCode, new[] { StatusCode.Cancelled, StatusCode.Internal, StatusCode.Unavailable });
    }

    [Fact]
    public async Task Client_ConnectionDropped_IsUnavailable()
    {
        await using var server = await GrpcTestServer.StartAsync(e => e.MapGrpcDuplexStreaming(EchoMethods.Bidi, async (requests, responses, context) =>
        {
            await responses.WriteAsync(new EchoReply { Text = "one" });
            context.HttpContext.Features.GetRequiredFeature<IConnectionLifetimeFeature>().Abort();
        }));
        using var channel = server.CreateChannel();
        using var call = channel.DuplexStreaming(EchoMethods.Bidi);

        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
            }
        }).WaitAsync(TestTimeouts.Call);

        Assert.True(ex.StatusCode == StatusCode.Unavailable, ex.Status.ToString());
    }

    [Fact]
    public async Task Client_ChannelWithPathBase_PrefixesMethodPaths()
    {
        await using var server = await GrpcTestServer.StartAsync(e => e.MapGrpcUnary(
            new Method<EchoRequest, EchoReply>(MethodType.Unary, "base/" + EchoMethods.ServiceName, "Unary"),
            (request, context) => Task.FromResult(new EchoReply { Text = context.HttpContext.Request.Path })));
        using var channel = GrpcChannel.ForAddress(new Uri(server.Address, "/base/"));

        var reply = await channel.UnaryAsync(EchoMethods.Unary, new EchoRequest()).WaitAsync(TestTimeouts.Call);

        Assert.Equal("/base/ballast.test.v1.EchoService/Unary", reply.Text);
    }

    [Fact]
    public void ForAddress_RejectsNonHttpSchemes()
    {
        Assert.Throws<ArgumentException>(() => GrpcChannel.ForAddress(new Uri("ftp://127.0.0.1:1")));
    }
}
