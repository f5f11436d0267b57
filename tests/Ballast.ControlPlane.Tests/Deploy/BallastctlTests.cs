using System.Diagnostics;
using System.Text.Json;
using Ballast.ControlPlane.Tests.TestSupport;

namespace Ballast.ControlPlane.Tests.Deploy;

/// <summary>deploy/ballastctl (bash + curl + python3) against a running control plane.</summary>
public sealed class BallastctlTests : IAsyncLifetime
{
    private readonly TempDirectory _work = new();
    private ControlPlaneHost _host = null!;

    public async Task InitializeAsync() => _host = await ControlPlaneHost.StartAsync();

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _work.Dispose();
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("bash", [RepoPaths.Of("deploy", "ballastctl"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _work.Path,
        };
        start.Environment["BALLAST_URL"] = _host.BaseUri.ToString().TrimEnd('/');
        start.Environment["BALLAST_TOKEN"] = ControlPlaneHost.Token;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_work.Path, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task ApplyDir_MergesItsJsonFiles_AndApplies_ThenPublishExportAndNodesWork()
    {
        var dir = Path.Combine(_work.Path, "config");
        Write("config/10-frontends.json", """{"$schema":"../schema.json","frontends":[{"name":"web","binds":["127.0.0.1:18080"],"defaultBackend":"app"}]}""");
        Write("config/20-app.json", """{"backends":[{"name":"app","servers":[{"name":"s1","address":"127.0.0.1","port":8081}]}]}""");
        Write("config/30-api.json", """{"backends":[{"name":"api","servers":[]}]}""");
        Write("config/notes.txt", "not json, not read");

        var dry = await RunAsync("apply", dir, "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.Stderr);
        Assert.True(JsonDocument.Parse(dry.Stdout).RootElement.GetProperty("dryRun").GetBoolean());
        Assert.Empty((await _host.GetJsonAsync("/api/v1/backends")).EnumerateArray());

        var apply = await RunAsync("apply", dir);
        Assert.True(apply.ExitCode == 0, apply.Stderr);
        Assert.Equal(3, JsonDocument.Parse(apply.Stdout).RootElement.GetProperty("summary").GetProperty("added").GetInt32());
        Assert.Equal(["api", "app"], (await _host.GetJsonAsync("/api/v1/backends")).EnumerateArray().Select(b => b.GetProperty("name").GetString()));

        var publish = await RunAsync("publish", "from \"ci\"");
        Assert.True(publish.ExitCode == 0, publish.Stderr);
        Assert.Equal(1, JsonDocument.Parse(publish.Stdout).RootElement.GetProperty("version").GetInt32());
        Assert.Equal("from \"ci\"", (await _host.GetJsonAsync("/api/v1/versions"))[0].GetProperty("message").GetString());

        var haproxy = await RunAsync("export", "haproxy", "--version", "1");
        Assert.True(haproxy.ExitCode == 0, haproxy.Stderr);
        Assert.Contains("backend app", haproxy.Stdout);

        var native = await RunAsync("export", "native");
        Assert.Equal((await _host.GetJsonAsync("/api/v1/config")).GetRawText(), JsonSerializer.Serialize(JsonDocument.Parse(native.Stdout).RootElement));

        var nodes = await RunAsync("nodes");
        Assert.True(nodes.ExitCode == 0, nodes.Stderr);
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(nodes.Stdout).RootElement.ValueKind);
    }

    [Fact]
    public async Task ImportHaproxy_DryRunAndImport()
    {
        var cfg = Write("haproxy.cfg", "backend app\n    server s1 10.0.0.1:80\n    hash-balance-factor 150\n");

        var dry = await RunAsync("import-haproxy", cfg, "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.Stderr);
        Assert.Equal(1, JsonDocument.Parse(dry.Stdout).RootElement.GetProperty("summary").GetProperty("unsupported").GetInt32());
        Assert.Empty((await _host.GetJsonAsync("/api/v1/backends")).EnumerateArray());

        var import = await RunAsync("import-haproxy", cfg);
        Assert.True(import.ExitCode == 0, import.Stderr);
        Assert.Single((await _host.GetJsonAsync("/api/v1/backends")).EnumerateArray());
    }

    [Fact]
    public async Task Refusals_ExitWith1_AndPrintTheErrorsOnStderr()
    {
        var bad = Write("bad.json", """{"backends":[{"name":"app","servers":[{"name":"s1","address":"127.0.0.1","port":0}]}]}""");

        var result = await RunAsync("apply", bad);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("HTTP 422", result.Stderr);
        Assert.Contains("must be 1-65535 (got 0)", result.Stderr);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task UsageErrors_ExitWith2()
    {
        Assert.Equal(2, (await RunAsync()).ExitCode);
        Assert.Equal(2, (await RunAsync("export", "yaml")).ExitCode);
        Assert.Equal(2, (await RunAsync("apply", Path.Combine(_work.Path, "missing.json"))).ExitCode);
    }
}
