using Ballast.Proto.Tests.TestSupport;

namespace Ballast.Proto.Tests.Interop;

/// <summary>A python grpcio client (echo_client.py) against our C# server: proves our server speaks real gRPC.</summary>
public sealed class PythonClientInteropTests : IClassFixture<EchoServerFixture>, IClassFixture<PythonPeerFixture>
{
    private readonly EchoServerFixture _server;
    private readonly string _descriptor;

    public PythonClientInteropTests(EchoServerFixture server, PythonPeerFixture python)
    {
        _server = server;
        _descriptor = python.DescriptorPath;
    }

    [Theory]
    [InlineData("unary")]
    [InlineData("server_stream")]
    [InlineData("client_stream")]
    [InlineData("bidi")]
    [InlineData("metadata")]
    [InlineData("error")]
    [InlineData("unimplemented")]
    public async Task PythonClient_AgainstOurServer(string scenario)
    {
        var result = await RunClientAsync(scenario);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"OK {scenario}", result.StandardOutput);
    }

    [Fact]
    public async Task PythonClient_Deadline_IsEnforcedAndSeenByOurServer()
    {
        var id = Guid.NewGuid().ToString("N");
        var result = await RunClientAsync("deadline", id);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("cancelled", await _server.Service.OutcomeOf(id).WaitAsync(TestTimeouts.Call));
        Assert.NotNull(_server.Service.Deadlines[id]);
    }

    [Fact]
    public async Task PythonClient_Cancel_IsSeenByOurServer()
    {
        var id = Guid.NewGuid().ToString("N");
        var result = await RunClientAsync("cancel", id);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("cancelled", await _server.Service.OutcomeOf(id).WaitAsync(TestTimeouts.Call));
    }

    private Task<ProcessResult> RunClientAsync(string scenario, string? callId = null)
    {
        var target = $"127.0.0.1:{_server.Address.Port}";
        string[] args = callId is null
            ? [PythonGrpc.Script("echo_client.py"), _descriptor, target, scenario]
            : [PythonGrpc.Script("echo_client.py"), _descriptor, target, scenario, callId];
        return PythonGrpc.RunAsync(args, TimeSpan.FromSeconds(60));
    }
}
