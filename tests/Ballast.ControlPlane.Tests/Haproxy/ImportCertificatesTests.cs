using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ballast.ControlPlane.Tests.TestSupport;

namespace Ballast.ControlPlane.Tests.Haproxy;

public sealed class ImportCertificatesTests : IAsyncLifetime
{
    private const string Cfg = """
        frontend https
            mode http
            bind 127.0.0.1:18443 ssl crt /etc/haproxy/certs/site.pem alpn h2,http/1.1
            default_backend app
        backend app
            mode http
            server s1 10.0.0.1:443 ssl verify required ca-file /etc/haproxy/ca/internal.pem sni str(api.internal)

        """;

    private ControlPlaneHost _host = null!;

    public async Task InitializeAsync() => _host = await ControlPlaneHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<JsonElement> ImportAsync(string query)
    {
        using var response = await _host.Client.PostAsync($"/api/v1/import/haproxy{query}", new StringContent(Cfg));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement;
    }

    [Fact]
    public async Task DryRun_ListsEachCertificateToUpload_WithAWarningPerMissingOne()
    {
        var leaf = TestCertificates.SelfSigned();
        using (var put = await _host.PutAsync("/api/v1/certificates/site.pem", new { certPem = leaf.CertPem, keyPem = leaf.KeyPem }))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        var result = await ImportAsync("?dryRun=true");
        var certificates = result.GetProperty("certificates").EnumerateArray()
            .Select(c => (c.GetProperty("name").GetString(), c.GetProperty("file").GetString(), c.GetProperty("needsKey").GetBoolean(), c.GetProperty("uploaded").GetBoolean()))
            .ToArray();
        Assert.Equal(
            [("site.pem", "/etc/haproxy/certs/site.pem", true, true), ("internal.pem", "/etc/haproxy/ca/internal.pem", false, false)],
            certificates);
        var warning = Assert.Single(result.GetProperty("findings").EnumerateArray(), f => f.GetProperty("severity").GetString() == "warning");
        Assert.Equal("server ca-file", warning.GetProperty("keyword").GetString());
        Assert.Contains("certificate 'internal.pem' (/etc/haproxy/ca/internal.pem) must be uploaded", warning.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, result.GetProperty("summary").GetProperty("warnings").GetInt32());
        var bind = result.GetProperty("config").GetProperty("frontends")[0].GetProperty("binds")[0].GetString();
        Assert.Equal("127.0.0.1:18443 ssl crt site.pem alpn h2,http/1.1", bind);
        Assert.Empty((await _host.GetJsonAsync("/api/v1/frontends")).EnumerateArray());
    }

    [Fact]
    public async Task ReplacingImport_KeepsStoredCertificates_AndPublishWorksOnceTheCaIsUploaded()
    {
        var leaf = TestCertificates.SelfSigned();
        using (var put = await _host.PutAsync("/api/v1/certificates/site.pem", new { certPem = leaf.CertPem, keyPem = leaf.KeyPem }))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        await ImportAsync("?replace=true");
        Assert.Single((await _host.GetJsonAsync("/api/v1/certificates")).EnumerateArray());
        using (var refused = await _host.PublishAsync())
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.Contains("internal.pem", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var ca = TestCertificates.CertificateAuthority();
        using (var put = await _host.PutAsync("/api/v1/certificates/internal.pem", new { certPem = ca.CertPem }))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        using var published = await _host.PublishAsync();
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        using var export = await _host.Client.GetAsync("/api/v1/export/haproxy?version=1");
        var cfg = await export.Content.ReadAsStringAsync();
        Assert.Contains("bind 127.0.0.1:18443 ssl crt /etc/haproxy/certs/site.pem alpn h2,http/1.1", cfg, StringComparison.Ordinal);
        Assert.Contains("ca-file /etc/haproxy/certs/internal.pem sni str(api.internal)", cfg, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", cfg, StringComparison.Ordinal);
    }
}
