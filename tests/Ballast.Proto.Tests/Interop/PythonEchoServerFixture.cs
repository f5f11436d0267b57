using System.Diagnostics;
using System.Text;
using Ballast.Proto.Grpc;
using Ballast.Proto.Tests.TestSupport;

namespace Ballast.Proto.Tests.Interop;

/// <summary>The python grpcio echo server (echo_server.py) on 127.0.0.1, port chosen by the OS and printed by the script.</summary>
public sealed class PythonEchoServerFixture : IAsyncLifetime
{
    private readonly StringBuilder _stderr = new();
    private Process? _process;
    private string? _descriptor;

    public Uri Address { get; private set; } = null!;

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        await PythonGrpc.RequireAsync();
        _descriptor = PythonGrpc.WriteDescriptor();
        _process = PythonGrpc.Start([PythonGrpc.Script("echo_server.py"), _descriptor], redirectInput: true);
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
            }
        };
        _process.BeginErrorReadLine();

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await _process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
        {
            if (line.StartsWith("PORT ", StringComparison.Ordinal))
            {
                Address = new Uri($"http://127.0.0.1:{int.Parse(line[5..], System.Globalization.CultureInfo.InvariantCulture)}");
                return;
            }
        }

        throw new InvalidOperationException($"echo_server.py exited without a port.\n{StandardError}");
    }

    public GrpcChannel CreateChannel() => GrpcChannel.ForAddress(Address);

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            try
            {
                _process.StandardInput.Close(); // the script stops when stdin closes
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }

        if (_descriptor is not null)
        {
            File.Delete(_descriptor);
        }
    }
}
