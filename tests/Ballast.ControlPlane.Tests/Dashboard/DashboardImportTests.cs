using Ballast.ControlPlane.Tests.TestSupport;
using Ballast.Dashboard.Services;
using Microsoft.Extensions.DependencyInjection;

namespace Ballast.ControlPlane.Tests.Dashboard;

public sealed class DashboardImportTests : IAsyncLifetime
{
    private const string Cfg = "frontend web\n    bind 127.0.0.1:18080\n    option http-server-close\n    default_backend app\n\nbackend app\n    server s1 10.0.0.1:80 weight 4\n";

    private ControlPlaneHost _host = null!;

    private IDashboardApi Api => _host.App.Services.GetRequiredService<IDashboardApi>();

    public async Task InitializeAsync() => _host = await ControlPlaneHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task DryRun_ReturnsCountsFindingsAndChanges_WithoutStoring()
    {
        var preview = await Api.ImportHaproxyAsync(Cfg, dryRun: true, replaceAll: false, "alice", CancellationToken.None);

        Assert.True(preview.DryRun);
        Assert.True(preview.Succeeded);
        Assert.Equal(new ImportCounts(1, 1, 1, preview.Counts.Mapped, 1, 0, 0, 0), preview.Counts);
        var finding = Assert.Single(preview.Findings);
        Assert.Equal((3, "frontend web", "option http-server-close", "unsupported"), (finding.Line, finding.Section, finding.Keyword, finding.Severity));
        Assert.Equal(["add frontend 'web'", "add backend 'app'"], preview.Changes);
        Assert.Equal(4u, preview.Config.Backends.Single().Servers.Single().Weight);
        Assert.Empty((await Api.GetWorkingConfigAsync(CancellationToken.None)).Backends);
    }

    [Fact]
    public async Task Import_StoresIntoWorkingConfig_AndAuditsTheUser()
    {
        var preview = await Api.ImportHaproxyAsync(Cfg, dryRun: false, replaceAll: false, "alice", CancellationToken.None);

        Assert.False(preview.DryRun);
        Assert.Equal("s1", (await Api.GetWorkingConfigAsync(CancellationToken.None)).Backends.Single().Servers.Single().Name);
        var audit = await _host.GetJsonAsync("/api/v1/audit?limit=1");
        Assert.Equal(("alice", "import.haproxy"), (audit[0].GetProperty("actor").GetString(), audit[0].GetProperty("action").GetString()));
    }

    [Fact]
    public async Task Errors_AreReturnedNotThrown_AndNothingIsStored()
    {
        var preview = await Api.ImportHaproxyAsync("backend app\n    server s1 10.0.0.1:80 weight 999\n", dryRun: false, replaceAll: false, "alice", CancellationToken.None);

        Assert.False(preview.Succeeded);
        Assert.Equal(1, preview.Counts.Errors);
        Assert.StartsWith("line 2 column ", Assert.Single(preview.Errors));
        Assert.Equal("error", Assert.Single(preview.Findings).Severity);
        Assert.Empty((await Api.GetWorkingConfigAsync(CancellationToken.None)).Backends);
    }
}
