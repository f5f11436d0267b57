using System.Net;
using Ballast.ControlPlane.Tests.TestSupport;
using Ballast.Proto;
using Ballast.Proto.Grpc;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Tests.Api;

public sealed class ListenerRoleTests : IAsyncLifetime
{
    private ControlPlaneHost _host = null!;

    public async Task InitializeAsync() => _host = await ControlPlaneHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task AdminApi_IsNotServedOnTheNodePort()
    {
        using var http = new HttpClient { BaseAddress = _host.NodeUri };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/frontends")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Authorization = new("Bearer", ControlPlaneHost.Token);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task NodeService_IsNotServedOnTheDashboardPort()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/ballast.v1.NodeService/Connect")
        {
            Content = new ByteArrayContent([0, 0, 0, 0, 0]),
        };
        request.Content.Headers.ContentType = new("application/grpc");
        using var response = await _host.Anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task UnknownGrpcMethod_OnNodePort_IsUnimplemented()
    {
        using var channel = GrpcChannel.ForAddress(_host.NodeUri);
        var method = new Method<Hello, Hello>(MethodType.Unary, NodeServiceDescriptor.ServiceName, "Nope");
        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(method, new Hello()));
        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }
}
