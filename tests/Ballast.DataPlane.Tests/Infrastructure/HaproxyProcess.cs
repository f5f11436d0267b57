using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ballast.DataPlane.Tests.Infrastructure;

/// <summary>
/// A real HAProxy (Debian's /usr/sbin/haproxy, 2.6 on Debian 12) in foreground mode (<c>-db</c>) with a temporary
/// configuration, for differential tests. Missing HAProxy fails the test with instructions (it never skips).
/// </summary>
internal sealed class HaproxyProcess : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/sbin/haproxy";

    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _output;

    private HaproxyProcess(Process process, string directory, StringBuilder output)
    {
        _process = process;
        _directory = directory;
        _output = output;
    }

    /// <summary>What HAProxy printed so far (warnings, alerts).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>HAProxy's version line, e.g. "HAProxy version 2.6.12-1+deb12u4 ...".</summary>
    public static string Version()
    {
        EnsureInstalled();
        using var process = Process.Start(new ProcessStartInfo(ExecutablePath, "-v") { RedirectStandardOutput = true, UseShellExecute = false })!;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit(10_000);
        return text.Split('\n')[0].Trim();
    }

    public static void EnsureInstalled()
    {
        if (!File.Exists(ExecutablePath))
        {
            Assert.Fail($"HAProxy is required by the differential tests but {ExecutablePath} does not exist: install Debian's "
                + "haproxy package (apt-get install -y haproxy; tests/run.sh installs it).");
        }
    }

    /// <summary>Starts HAProxy with <paramref name="config"/> and waits until every port in <paramref name="ports"/> accepts.</summary>
    public static async Task<HaproxyProcess> StartAsync(string config, IReadOnlyCollection<int> ports)
    {
        EnsureInstalled();
        var directory = Path.Combine(Path.GetTempPath(), "ballast-haproxy-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, "haproxy.cfg");
        await File.WriteAllTextAsync(file, config);
        var info = new ProcessStartInfo(ExecutablePath)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        info.ArgumentList.Add("-db");
        info.ArgumentList.Add("-f");
        info.ArgumentList.Add(file);
        var output = new StringBuilder();
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var haproxy = new HaproxyProcess(process, directory, output);
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
            foreach (var port in ports)
            {
                while (!await AcceptsAsync(port))
                {
                    if (process.HasExited)
                    {
                        throw new InvalidOperationException($"HAProxy exited with code {process.ExitCode}:\n{haproxy.Output}\nconfiguration:\n{config}");
                    }

                    if (DateTime.UtcNow > deadline)
                    {
                        throw new TimeoutException($"HAProxy did not open port {port} within 15 s:\n{haproxy.Output}");
                    }

                    await Task.Delay(20);
                }
            }

            return haproxy;
        }
        catch
        {
            await haproxy.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (InvalidOperationException)
        {
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _process.Dispose();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
