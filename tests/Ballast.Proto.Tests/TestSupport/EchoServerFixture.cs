using Ballast.Proto.Grpc;

namespace Ballast.Proto.Tests.TestSupport;

/// <summary>Our gRPC server (<see cref="GrpcTestServer"/>) serving <see cref="EchoService"/>, shared by a test class.</summary>
public sealed class EchoServerFixture : IAsyncLifetime
{
    /// <summary>Server message size limit used by the tests.</summary>
    public const int MaxReceiveMessageSize = 64 * 1024;

    private GrpcTestServer? _server;

    public EchoService Service { get; } = new();

    public Uri Address => _server?.Address ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync() =>
        _server = await GrpcTestServer.StartAsync(Service.Map, o => o.MaxReceiveMessageSize = MaxReceiveMessageSize);

    public GrpcChannel CreateChannel(GrpcChannelOptions? options = null) => GrpcChannel.ForAddress(Address, options);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
