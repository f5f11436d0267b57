using System.Diagnostics;
using System.Text;
using Ballast.Proto.Tests.Echo;
using Google.Protobuf;

namespace Ballast.Proto.Tests.Interop;

/// <summary>
/// Runs the python grpcio peers in this folder with Debian's /usr/bin/python3 (python3-grpcio, python3-protobuf).
/// Missing packages fail the tests with an explicit message: interop is required, not optional.
/// </summary>
public static class PythonGrpc
{
    public const string Executable = "/usr/bin/python3";

    public const string MissingPackagesHint =
        "The gRPC interop tests need Debian's python3-grpcio and python3-protobuf for /usr/bin/python3 " +
        "(apt-get install -y python3-grpcio python3-protobuf).";

    public static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "Interop", name);

    /// <summary>Throws with <see cref="MissingPackagesHint"/> unless /usr/bin/python3 can import grpc and protobuf.</summary>
    public static async Task RequireAsync()
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} not found. {MissingPackagesHint}");
        }

        var result = await RunAsync(["-c", "import grpc, google.protobuf; print(grpc.__version__)"], TimeSpan.FromSeconds(30));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{MissingPackagesHint}\n{result.StandardError}");
        }
    }

    /// <summary>Writes echo.proto's FileDescriptorProto (from the C# generated code) to a temp file for the peers.</summary>
    public static string WriteDescriptor()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ballast-echo-{Guid.NewGuid():N}.pb");
        File.WriteAllBytes(path, EchoReflection.Descriptor.SerializedData.ToByteArray());
        return path;
    }

    /// <summary>Runs python to completion (killed after <paramref name="timeout"/>).</summary>
    public static async Task<ProcessResult> RunAsync(IEnumerable<string> arguments, TimeSpan timeout)
    {
        using var process = Start(arguments, redirectInput: false);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return new ProcessResult(-1, await stdout, $"timed out after {timeout}\n{await stderr}");
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    public static Process Start(IEnumerable<string> arguments, bool redirectInput)
    {
        var info = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
            WorkingDirectory = Path.Combine(AppContext.BaseDirectory, "Interop"),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Keep grpc core quiet and away from proxies configured on the machine.
        info.Environment["GRPC_VERBOSITY"] = "ERROR";
        info.Environment["no_proxy"] = "127.0.0.1,localhost";
        info.Environment.Remove("http_proxy");
        info.Environment.Remove("https_proxy");
        info.Environment.Remove("HTTP_PROXY");
        info.Environment.Remove("HTTPS_PROXY");
        info.Environment.Remove("grpc_proxy");
        return Process.Start(info) ?? throw new InvalidOperationException($"Could not start {Executable}.");
    }
}

/// <summary>Outcome of a finished python run.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
}
