using System.Diagnostics;

namespace Ballast.HaproxyConfig.Tests.Support;

/// <summary>
/// Runs Debian's HAProxy 2.6 (<c>/usr/sbin/haproxy</c>). The tests that use it must not be skipped: when the binary
/// is missing they fail, saying how to install it.
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
            if (path is null)
            {
                Assert.Fail($"HAProxy is not installed: expected {DefaultPath} or 'haproxy' on PATH. " +
                            "Install Debian's package (apt-get install -y haproxy); this test validates exports against the real parser and must not be skipped.");
            }

            return path!;
        }
    }

    /// <summary>Runs <c>haproxy -c -f</c> on <paramref name="configText"/> with exactly <paramref name="environment"/>.</summary>
    public static CheckResult Check(string configText, IReadOnlyDictionary<string, string>? environment = null)
    {
        var file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ballast-haproxy-{Guid.NewGuid():N}.cfg");
        File.WriteAllText(file, configText);
        try
        {
            var start = new ProcessStartInfo(Path, ["-c", "-f", file])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment.Clear();
            start.Environment["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin";
            foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            {
                start.Environment[name] = value;
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill();
                Assert.Fail("haproxy -c did not finish within 60 s");
            }

            return new CheckResult(process.ExitCode, stdout.Result + stderr.Result, file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    public sealed record CheckResult(int ExitCode, string Output, string File)
    {
        public IEnumerable<string> Alerts => Lines("[ALERT]");

        public IEnumerable<string> Warnings => Lines("[WARNING]");

        private IEnumerable<string> Lines(string level) =>
            Output.Split('\n').Where(l => l.StartsWith(level, StringComparison.Ordinal));
    }
}
