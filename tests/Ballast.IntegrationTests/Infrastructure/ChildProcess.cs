using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Ballast.IntegrationTests.Infrastructure;

/// <summary>
/// A program under test started as <c>dotnet &lt;dll&gt; args</c>. Its stdout and stderr are kept in memory
/// (and appended to a log file) so a failing test can print them; disposing kills the whole process tree.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly StreamWriter _log;
    private readonly object _gate = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(string name, Process process, string logPath)
    {
        Name = name;
        _process = process;
        LogPath = logPath;
        _log = new StreamWriter(logPath, append: true, Encoding.UTF8) { AutoFlush = true };
    }

    /// <summary>Short name used in logs, such as <c>controlplane</c> or <c>node-1</c>.</summary>
    public string Name { get; }

    /// <summary>Where the output is also written.</summary>
    public string LogPath { get; }

    /// <summary>Operating-system process id.</summary>
    public int Pid => _process.Id;

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _exited.Task.IsCompleted || ExitCodeOrNull() is not null;

    /// <summary>Starts <paramref name="dll"/> with the dotnet host.</summary>
    public static ChildProcess Start(string name, string dll, IEnumerable<string> args, string logPath, string workingDirectory)
    {
        var info = new ProcessStartInfo(BuildOutputs.DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["NO_COLOR"] = "1";
        info.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        info.Environment["Logging__Console__FormatterOptions__ColorBehavior"] = "Disabled";

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process, logPath);
        process.OutputDataReceived += (_, e) => child.Append(e.Data, "out");
        process.ErrorDataReceived += (_, e) => child.Append(e.Data, "err");
        process.Exited += (_, _) => child._exited.TrySetResult();
        child.Append($"$ dotnet {dll} {string.Join(' ', info.ArgumentList.Skip(1))}", "cmd");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for an output line matching <paramref name="pattern"/> and returns its match.</summary>
    public async Task<Match> WaitForLineAsync(Regex pattern, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var seen = 0;
        while (true)
        {
            lock (_gate)
            {
                for (; seen < _lines.Count; seen++)
                {
                    var match = pattern.Match(_lines[seen]);
                    if (match.Success)
                    {
                        return match;
                    }
                }
            }

            if (HasExited)
            {
                throw new InvalidOperationException($"{Name} exited (code {ExitCodeOrNull()}) before printing a line matching /{pattern}/");
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{Name} printed no line matching /{pattern}/ within {timeout.TotalSeconds:0} s");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Everything printed so far, one line each, prefixed with the stream.</summary>
    public string Output()
    {
        lock (_gate)
        {
            return string.Join('\n', _lines);
        }
    }

    /// <summary>Kills the process tree at once (as a crash would) and waits for it to end.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Kill();
        _process.Dispose();
        lock (_gate)
        {
            _log.Dispose();
        }
    }

    private int? ExitCodeOrNull()
    {
        try
        {
            return _process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private void Append(string? line, string stream)
    {
        if (line is null)
        {
            return;
        }

        var stamped = $"{DateTime.Now:HH:mm:ss.fff} [{Name} {stream}] {line}";
        lock (_gate)
        {
            _lines.Add(stamped);
            try
            {
                _log.WriteLine(stamped);
            }
            catch (ObjectDisposedException)
            {
                // Output after dispose.
            }
        }
    }
}
