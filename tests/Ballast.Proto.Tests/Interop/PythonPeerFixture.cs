namespace Ballast.Proto.Tests.Interop;

/// <summary>Checks once per test class that /usr/bin/python3 has grpc, and writes echo.proto's descriptor for the peers.</summary>
public sealed class PythonPeerFixture : IAsyncLifetime
{
    public string DescriptorPath { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await PythonGrpc.RequireAsync();
        DescriptorPath = PythonGrpc.WriteDescriptor();
    }

    public Task DisposeAsync()
    {
        if (DescriptorPath is not null)
        {
            File.Delete(DescriptorPath);
        }

        return Task.CompletedTask;
    }
}
