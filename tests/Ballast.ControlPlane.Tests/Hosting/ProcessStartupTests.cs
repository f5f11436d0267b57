using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Ballast.ControlPlane.Hosting;
using Ballast.ControlPlane.Tests.TestSupport;

namespace Ballast.ControlPlane.Tests.Hosting;

/// <summary>Runs the built <c>ballast-controlplane</c> as a child process, as the quick start does.</summary>
public sealed partial class ProcessStartupTests
{
    [Fact]
    public async Task Start_PrintsDashboardTokenAndNodeLines_ReusesGeneratedToken_AndStopsOnSigterm()
    {
        using var dir = new TempDirectory();
        string token;
        using (var first = await StartedProcess.StartAsync(dir.Path))
        {
            token = first.Token;
            Assert.Equal(token, File.ReadAllText(Path.Combine(dir.Path, "data", AdminToken.FileName)).Trim());
            using var http = new HttpClient { BaseAddress = first.Dashboard, Timeout = TimeSpan.FromSeconds(10) };
            using (var anonymous = await http.GetAsync("/api/v1/config"))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            }

            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using (var authorized = await http.GetAsync("/api/v1/config"))
            {
                Assert.Equal(HttpStatusCode.OK, authorized.StatusCode);
            }

            Assert.Equal(0, await first.StopAsync());
        }

        using var second = await StartedProcess.StartAsync(dir.Path);
        Assert.Equal(token, second.Token);
        Assert.Equal(0, await second.StopAsync());
    }

    [Fact]
    public async Task InvalidUrl_ExitsWithMessage()
    {
        using var dir = new TempDirectory();
        using var process = Process.Start(StartedProcess.StartInfo(dir.Path, urls: "https://127.0.0.1:0"))!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("--urls", await stderr);
    }

    [GeneratedRegex(@"^Dashboard: (http://\S+)$", RegexOptions.Multiline)]
    private static partial Regex DashboardLine();

    [GeneratedRegex(@"^Admin token: (\S+)$", RegexOptions.Multiline)]
    private static partial Regex TokenLine();

    [GeneratedRegex(@"^Node endpoint: (http://\S+)$", RegexOptions.Multiline)]
    private static partial Regex NodeLine();

    private sealed class StartedProcess : IDisposable
    {
        private readonly Process _process;

        private StartedProcess(Process process, Uri dashboard, string token, Uri node)
        {
            _process = process;
            Dashboard = dashboard;
            Token = token;
            Node = node;
        }

        public Uri Dashboard { get; }

        public string Token { get; }

        public Uri Node { get; }

        public static ProcessStartInfo StartInfo(string workDir, string urls = "http://127.0.0.1:0")
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "ballast-controlplane.dll");
            var info = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = workDir,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add(dll);
            info.ArgumentList.Add("--urls");
            info.ArgumentList.Add(urls);
            info.ArgumentList.Add("--node-urls");
            info.ArgumentList.Add("http://127.0.0.1:0");
            info.Environment.Remove(ControlPlaneOptions.AdminTokenVariable);
            info.Environment["Logging__LogLevel__Default"] = "Warning";
            return info;
        }

        public static async Task<StartedProcess> StartAsync(string workDir)
        {
            var process = Process.Start(StartInfo(workDir))!;
            var output = new System.Text.StringBuilder();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                while (!NodeLine().IsMatch(output.ToString()))
                {
                    var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                        ?? throw new InvalidOperationException($"exited early: {output}{await process.StandardError.ReadToEndAsync()}");
                    output.AppendLine(line);
                }
            }
            catch
            {
                process.Kill();
                process.Dispose();
                throw;
            }

            var text = output.ToString();
            return new StartedProcess(
                process,
                new Uri(DashboardLine().Match(text).Groups[1].Value),
                TokenLine().Match(text).Groups[1].Value,
                new Uri(NodeLine().Match(text).Groups[1].Value));
        }

        /// <summary>Sends SIGTERM to this process id and waits for a graceful exit.</summary>
        public async Task<int> StopAsync()
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(timeout.Token);
            return _process.ExitCode;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }

            _process.Dispose();
        }
    }
}
