using System.Net;
using System.Text.Json;
using Ballast.ControlPlane.Tests.TestSupport;
using Ballast.ControlPlane.Validation;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Tests.AccessLog;

/// <summary>
/// Frontend <c>captureRequestHeaders</c>/<c>captureResponseHeaders</c> (HAProxy <c>capture request|response header
/// &lt;name&gt; len &lt;n&gt;</c>): admin API, store, snapshot, validation and haproxy.cfg import/export.
/// </summary>
public sealed class HeaderCaptureTests : IAsyncLifetime
{
    private const string Frontend = """
        {"name":"web","mode":"http","binds":["127.0.0.1:18080"],"defaultBackend":"app","optionHttplog":true,
         "captureRequestHeaders":[{"name":"Host","len":32},{"name":"User-Agent","len":64}],
         "captureResponseHeaders":[{"name":"Content-Type","len":20}]}
        """;

    private ControlPlaneHost _host = null!;

    public async Task InitializeAsync() => _host = await ControlPlaneHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static string[] Captures(JsonElement frontend, string field) =>
        frontend.GetProperty(field).EnumerateArray().Select(c => $"{c.GetProperty("name").GetString()} len {c.GetProperty("len").GetUInt32()}").ToArray();

    private static IReadOnlyList<string> Errors(Action<Frontend> change, Mode mode = Mode.Http)
    {
        var frontend = new Frontend { Name = "web", Mode = mode, DefaultBackend = "app", Binds = { new Bind { Address = "127.0.0.1", Port = 8080 } } };
        change(frontend);
        var config = new Config
        {
            Frontends = { frontend },
            Backends = { new Backend { Name = "app", Mode = mode, Servers = { new Server { Name = "s1", Address = "127.0.0.1", Port = 8081, Weight = 1 } } } },
        };
        return ConfigValidator.ValidateConfig(config).Select(e => e.ToString()).ToArray();
    }

    [Fact]
    public async Task PutThenGet_KeepsTheCapturesInOrder_AndTheNodeSnapshotCarriesThem()
    {
        await _host.SeedValidConfigAsync();
        using (var put = await _host.PutJsonAsync("/api/v1/frontends/web", Frontend))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        var web = await _host.GetJsonAsync("/api/v1/frontends/web");
        Assert.Equal(["Host len 32", "User-Agent len 64"], Captures(web, "captureRequestHeaders"));
        Assert.Equal(["Content-Type len 20"], Captures(web, "captureResponseHeaders"));

        using (var published = await _host.PublishAsync("captures"))
        {
            Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        }

        using var node = await NodeClient.ConnectAsync(_host.NodeUri, "n-captures");
        var snapshot = await node.ReadSnapshotAsync();
        var frontend = snapshot.Config.Frontends.Single();
        Assert.Equal([new HeaderCapture { Name = "Host", Len = 32 }, new HeaderCapture { Name = "User-Agent", Len = 64 }], frontend.CaptureRequestHeaders);
        Assert.Equal([new HeaderCapture { Name = "Content-Type", Len = 20 }], frontend.CaptureResponseHeaders);
        await node.AckAsync(snapshot);
    }

    [Theory]
    [InlineData("""{"captureRequestHeaders":[{"name":"Bad Name","len":8}]}""", "captureRequestHeaders[0].name", "must be an HTTP header name")]
    [InlineData("""{"captureRequestHeaders":[{"name":"Host","len":0}]}""", "captureRequestHeaders[0].len", "must be 1-1024 characters (got 0)")]
    [InlineData("""{"captureResponseHeaders":[{"name":"Host","len":8},{"name":"X","len":1025}]}""", "captureResponseHeaders[1].len", "must be 1-1024 characters (got 1025)")]
    [InlineData("""{"captureResponseHeaders":[null]}""", "captureResponseHeaders[0]", "must be an object")]
    [InlineData("""{"mode":"tcp","captureRequestHeaders":[{"name":"Host","len":8}]}""", "captureRequestHeaders", "header captures need mode http")]
    public async Task Put_InvalidCapture_Is422NamingFieldAndIndex(string extra, string field, string message)
    {
        await _host.SeedValidConfigAsync();
        var body = JsonDocument.Parse(extra).RootElement.EnumerateObject()
            .Aggregate("""{"name":"web","binds":["127.0.0.1:18080"],"defaultBackend":"app" """, (s, p) => s + $",\"{p.Name}\":{p.Value.GetRawText()}") + "}";
        using var response = await _host.PutJsonAsync("/api/v1/frontends/web", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, text);
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateArray().ToArray();
        Assert.Contains(errors, e => e.GetProperty("object").GetString() == "frontend 'web'" && e.GetProperty("field").GetString() == field
            && e.GetProperty("message").GetString()!.StartsWith(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", 8u, "frontend 'web': captureRequestHeaders[0].name: must be an HTTP header name (a token of letters, digits and !#$%&'*+-.^_`|~), 1-64 characters (got '')")]
    [InlineData("Host:", 8u, "frontend 'web': captureRequestHeaders[0].name: must be an HTTP header name (a token of letters, digits and !#$%&'*+-.^_`|~), 1-64 characters (got 'Host:')")]
    [InlineData("Host", 2000u, "frontend 'web': captureRequestHeaders[0].len: must be 1-1024 characters (got 2000)")]
    public void Publish_RefusesCapturesTheNodeRefuses(string name, uint len, string expected) =>
        Assert.Equal([expected], Errors(f => f.CaptureRequestHeaders.Add(new HeaderCapture { Name = name, Len = len })));

    [Fact]
    public void Publish_AcceptsTokenNamesUpTo64Characters_AndLen1To1024() =>
        Assert.Empty(Errors(f =>
        {
            f.CaptureRequestHeaders.Add(new HeaderCapture { Name = new string('x', 64), Len = 1 });
            f.CaptureResponseHeaders.Add(new HeaderCapture { Name = "X-Cache~Status!", Len = 1024 });
        }));

    [Fact]
    public async Task ImportHaproxy_MapsCaptureLines_AndExportWritesThemBack()
    {
        const string cfg = """
            defaults
                mode http
            frontend web
                bind 127.0.0.1:18080
                capture request header Host len 32
                capture response header Content-Type len 20
                default_backend app
            backend app
                server s1 127.0.0.1:8081

            """;
        using (var imported = await _host.Client.PostTextAsync("/api/v1/import/haproxy", cfg))
        {
            Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
        }

        var web = await _host.GetJsonAsync("/api/v1/frontends/web");
        Assert.Equal(["Host len 32"], Captures(web, "captureRequestHeaders"));
        Assert.Equal(["Content-Type len 20"], Captures(web, "captureResponseHeaders"));
        using var export = await _host.Client.GetAsync("/api/v1/export/haproxy");
        var text = await export.Content.ReadAsStringAsync();
        Assert.Contains("capture request header Host len 32", text, StringComparison.Ordinal);
        Assert.Contains("capture response header Content-Type len 20", text, StringComparison.Ordinal);
    }
}
