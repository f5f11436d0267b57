using System.Net;
using System.Text.Json;
using Ballast.ControlPlane.Tests.TestSupport;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Tests.AccessLog;

public sealed class AccessLogApiTests : IAsyncLifetime
{
    private const string Frontend = """
        {"name":"web","mode":"http","binds":["127.0.0.1:18080"],"defaultBackend":"app",
         "logs":["127.0.0.1:514 len 1024 format rfc5424 local0 info","stdout format raw daemon","/var/log/ballast/access.log local1"],
         "optionHttplog":true,"optionTcplog":false,"optionDontlognull":true,"logFormat":"%ci:%cp [%tr] %ft %b/%s %ST %B %{+Q}r"}
        """;

    private ControlPlaneHost _host = null!;

    public async Task InitializeAsync() => _host = await ControlPlaneHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static string[] Strings(JsonElement e, string name) => e.GetProperty(name).EnumerateArray().Select(x => x.GetString()!).ToArray();

    private async Task SeedAsync()
    {
        await _host.SeedValidConfigAsync();
        using var web = await _host.PutJsonAsync("/api/v1/frontends/web", Frontend);
        Assert.True(web.IsSuccessStatusCode, await web.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PutThenGet_Frontend_ReturnsTheLogFieldsAsSent()
    {
        await SeedAsync();
        var web = await _host.GetJsonAsync("/api/v1/frontends/web");
        var sent = JsonDocument.Parse(Frontend).RootElement;
        Assert.Equal(Strings(sent, "logs"), Strings(web, "logs"));
        foreach (var field in new[] { "optionHttplog", "optionTcplog", "optionDontlognull" })
        {
            Assert.Equal(sent.GetProperty(field).GetBoolean(), web.GetProperty(field).GetBoolean());
        }

        Assert.Equal(sent.GetProperty("logFormat").GetString(), web.GetProperty("logFormat").GetString());
        var config = await _host.GetJsonAsync("/api/v1/config");
        Assert.Equal(Strings(sent, "logs"), Strings(config.GetProperty("frontends")[0], "logs"));
    }

    [Fact]
    public async Task Put_OddSpacingAndOptionOrder_IsStoredInCanonicalForm()
    {
        await _host.SeedValidConfigAsync();
        using var put = await _host.PutJsonAsync("/api/v1/frontends/web",
            """{"name":"web","binds":["127.0.0.1:18080"],"defaultBackend":"app","logs":["127.0.0.1:514   format rfc5424  len 2048 local3"]}""");
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        Assert.Equal(["127.0.0.1:514 len 2048 format rfc5424 local3"], Strings(await _host.GetJsonAsync("/api/v1/frontends/web"), "logs"));
    }

    [Theory]
    [InlineData("""{"logs":["stdout local0","127.0.0.1 local9"]}""", "logs[1]", "unknown facility 'local9'")]
    [InlineData("""{"logs":["127.0.0.1 local0 loud"]}""", "logs[0]", "unknown level 'loud'")]
    [InlineData("""{"logs":["127.0.0.1 len 10 local0"]}""", "logs[0]", "invalid log length '10', must be between 80 and 65535")]
    [InlineData("""{"logs":["127.0.0.1 format short local0"]}""", "logs[0]", "unsupported: log format 'short'")]
    [InlineData("""{"logs":["127.0.0.1"]}""", "logs[0]", "expects a facility")]
    [InlineData("""{"logs":["global"]}""", "logs[0]", "'global' is a haproxy.cfg reference")]
    [InlineData("""{"logs":["unix@/dev/log local0"]}""", "logs[0]", "unsupported: 'unix@' log targets")]
    [InlineData("""{"logFormat":"%ci %[src]"}""", "logFormat", "sample fetches (%[...]) are not supported")]
    [InlineData("""{"mode":"tcp","optionHttplog":true}""", "optionHttplog", "needs mode http")]
    public async Task Put_InvalidLogSettings_Is422NamingFieldAndIndex(string extra, string field, string message)
    {
        var body = JsonDocument.Parse(extra).RootElement.EnumerateObject()
            .Aggregate("""{"name":"web","binds":["127.0.0.1:18080"],"defaultBackend":"app" """, (s, p) => s + $",\"{p.Name}\":{p.Value.GetRawText()}") + "}";
        using var response = await _host.PutJsonAsync("/api/v1/frontends/web", body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").EnumerateArray().ToArray();
        Assert.Contains(errors, e => e.GetProperty("object").GetString() == "frontend 'web'" && e.GetProperty("field").GetString() == field
            && e.GetProperty("message").GetString()!.StartsWith(message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Publish_ConnectedNodeReceivesTheLogTargetsInItsSnapshot()
    {
        await SeedAsync();
        using (var published = await _host.PublishAsync("access logs"))
        {
            Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        }

        using var node = await NodeClient.ConnectAsync(_host.NodeUri, "n-logs");
        var snapshot = await node.ReadSnapshotAsync();
        var web = snapshot.Config.Frontends.Single();
        Assert.Equal(3, web.Logs.Count);
        Assert.Equal(new LogTarget { Address = "127.0.0.1:514", MaxLen = 1024, Format = LogFormat.Rfc5424, Facility = "local0", Level = "info" }, web.Logs[0]);
        Assert.Equal(new LogTarget { Address = "stdout", Format = LogFormat.Raw, Facility = "daemon" }, web.Logs[1]);
        Assert.Equal("/var/log/ballast/access.log", web.Logs[2].Address);
        Assert.Equal((true, false, true, "%ci:%cp [%tr] %ft %b/%s %ST %B %{+Q}r"), (web.OptionHttplog, web.OptionTcplog, web.OptionDontlognull, web.LogFormat));
        await node.AckAsync(snapshot);
    }

    [Fact]
    public async Task ImportHaproxy_MapsLogLinesWithGlobalAndDefaults_AndExportWritesThemBack()
    {
        const string cfg = """
            global
                log 127.0.0.1:514 local0
            defaults
                mode http
                log global
                option httplog
                option dontlognull
            frontend web
                bind 127.0.0.1:18080
                log stdout format raw daemon info
                default_backend app
            backend app
                server s1 127.0.0.1:8081

            """;
        using (var imported = await _host.Client.PostTextAsync("/api/v1/import/haproxy", cfg))
        {
            Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
        }

        var web = await _host.GetJsonAsync("/api/v1/frontends/web");
        Assert.Equal(["127.0.0.1:514 local0", "stdout format raw daemon info"], Strings(web, "logs"));
        Assert.True(web.GetProperty("optionHttplog").GetBoolean());
        Assert.True(web.GetProperty("optionDontlognull").GetBoolean());

        using var export = await _host.Client.GetAsync("/api/v1/export/haproxy");
        var text = await export.Content.ReadAsStringAsync();
        Assert.Contains("    log 127.0.0.1:514 local0\n    log stdout format raw daemon info\n    option httplog\n    option dontlognull\n", text, StringComparison.Ordinal);
    }
}
