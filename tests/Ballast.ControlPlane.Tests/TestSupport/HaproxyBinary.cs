using System.Diagnostics;

namespace Ballast.ControlPlane.Tests.TestSupport;

/// <summary>
/// Runs Debian's HAProxy 2.6 (<c>/usr/sbin/haproxy</c>) as <c>haproxy -c -f</c>. Tests using it fail (never skip)
/// when it is missing, saying how to install it.
/// </summary>
internal static class HaproxyBinary
{
    private const string DefaultPath = "/usr/sbin/haproxy";

    public static string Path
    {
        get
        {
            var path = File.Exists(DefaultPath) ? DefaultPath
                : (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':')
                    .Select(dir => System.IO.Path.Combine(dir, "haproxy")).FirstOrDefault(File.Exists);
            Assert.True(path is not null,
                $"HAProxy is not installed: expected {DefaultPath} or 'haproxy' on PATH. Install Debian's package " +
                "(apt-get install -y haproxy); this test checks exports with the real parser and must not be skipped.");
            return path!;
        }
    }

    /// <summary>Exit code and output of <c>haproxy -c -f</c> on <paramref name="configText"/>.</summary>
    public static async Task<(int ExitCode, string Output)> CheckAsync(string configText)
    {
        var file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ballast-cp-haproxy-{Guid.NewGuid():N}.cfg");
        await File.WriteAllTextAsync(file, configText);
        try
        {
            var start = new ProcessStartInfo(Path, ["-c", "-f", file])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await stdout + await stderr);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
