using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ballast.ControlPlane.Tests.TestSupport;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Tests.Haproxy;

/// <summary>haproxy.cfg in, through the working configuration and a publish, out to a connected node.</summary>
public sealed class ImportPublishEndToEndTests : IAsyncLifetime
{
    private const string Cfg = """
        global
            daemon

        defaults
            mode http
            timeout connect 5s

        frontend shop
            bind 127.0.0.1:18090
            default_backend catalog

        backend catalog
            balance static-rr
            option httpchk GET /health
            http-check expect status 200
            server c1 127.0.0.1:18091 check weight 3
            server c2 127.0.0.1:18092 check disabled

        """;

    private ControlPlaneHost _host = null!;

    public async Task InitializeAsync() => _host = await ControlPlaneHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ImportedHaproxyCfg_Published_IsInTheVersion_AndReachesNodes()
    {
        using var node = await NodeClient.ConnectAsync(_host.NodeUri, "n-import");

        using (var import = await _host.Client.PostTextAsync("/api/v1/import/haproxy", Cfg))
        {
            Assert.True(import.StatusCode == HttpStatusCode.OK, await import.Content.ReadAsStringAsync());
        }

        using var publish = await _host.PublishAsync("imported from haproxy.cfg");
        Assert.True(publish.StatusCode == HttpStatusCode.OK, await publish.Content.ReadAsStringAsync());
        var version = (await publish.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt64();

        var published = (await _host.GetJsonAsync($"/api/v1/versions/{version}")).GetProperty("config");
        var frontend = Assert.Single(published.GetProperty("frontends").EnumerateArray());
        Assert.Equal(("shop", "127.0.0.1:18090", "catalog"),
            (frontend.GetProperty("name").GetString(), frontend.GetProperty("binds")[0].GetString(), frontend.GetProperty("defaultBackend").GetString()));
        var backend = Assert.Single(published.GetProperty("backends").EnumerateArray());
        Assert.Equal(("catalog", "static-rr", "http", "/health", 200),
            (backend.GetProperty("name").GetString(), backend.GetProperty("balance").GetString(), backend.GetProperty("healthCheck").GetProperty("type").GetString(),
             backend.GetProperty("healthCheck").GetProperty("path").GetString(), backend.GetProperty("healthCheck").GetProperty("expectStatus").GetInt32()));
        Assert.Equal([("c1", 3, "ready"), ("c2", 1, "maint")], backend.GetProperty("servers").EnumerateArray()
            .Select(s => (s.GetProperty("name").GetString(), s.GetProperty("weight").GetInt32(), s.GetProperty("state").GetString())));

        var snapshot = await node.ReadSnapshotAsync();
        Assert.Equal((ulong)version, snapshot.Version);
        Assert.Equal(["c1", "c2"], snapshot.Config.Backends.Single().Servers.Select(s => s.Name));
        Assert.Equal(ServerState.Maint, snapshot.Config.Backends.Single().Servers[1].State);

        var exported = await _host.Client.GetStringAsync($"/api/v1/export/haproxy?version={version}");
        Assert.Contains("server c2 127.0.0.1:18092 check weight 1 disabled", exported);
    }
}
