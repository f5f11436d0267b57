using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ballast.ControlPlane.Tests.TestSupport;
using Ballast.Proto.V1;
using Microsoft.Extensions.DependencyInjection;

namespace Ballast.ControlPlane.Tests.Certificates;

public sealed class CertificateApiTests : IAsyncLifetime
{
    private ControlPlaneHost _host = null!;

    public async Task InitializeAsync() => _host = await ControlPlaneHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<HttpResponseMessage> PutCertificateAsync(string name, string certPem, string? keyPem) =>
        _host.PutAsync($"/api/v1/certificates/{name}", new { certPem, keyPem });

    private static async Task<JsonElement> FirstErrorAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0];

    private async Task SeedTlsFrontendAsync(string crt = "site.pem")
    {
        await _host.SeedValidConfigAsync();
        using var frontend = await _host.PutJsonAsync("/api/v1/frontends/web",
            $$"""{"name":"web","mode":"http","binds":["127.0.0.1:18443 ssl crt {{crt}} alpn h2,http/1.1"],"defaultBackend":"app"}""");
        Assert.True(frontend.IsSuccessStatusCode, await frontend.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Put_CreatesThenReplaces_AndListShowsDetailsWithoutKey()
    {
        var leaf = TestCertificates.SelfSigned("www.example.test");
        using (var created = await PutCertificateAsync("site.pem", leaf.CertPem, leaf.KeyPem))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var renewed = TestCertificates.SelfSigned("www.example.test", rsa: true);
        using (var replaced = await PutCertificateAsync("site.pem", renewed.CertPem, renewed.KeyPem))
        {
            Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        }

        using var listResponse = await _host.Client.GetAsync("/api/v1/certificates");
        var text = await listResponse.Content.ReadAsStringAsync();
        Assert.DoesNotContain("PRIVATE KEY", text, StringComparison.Ordinal);
        var item = Assert.Single(JsonDocument.Parse(text).RootElement.EnumerateArray());
        Assert.Equal("site.pem", item.GetProperty("name").GetString());
        Assert.Equal("CN=www.example.test", item.GetProperty("subject").GetString());
        Assert.Equal("CN=www.example.test", item.GetProperty("issuer").GetString());
        Assert.Equal(["www.example.test"], item.GetProperty("sans").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(renewed.Certificate.RawData)), item.GetProperty("sha256").GetString());
        Assert.True(item.GetProperty("hasKey").GetBoolean());
        Assert.Equal(renewed.Certificate.NotAfter.ToUniversalTime(), item.GetProperty("notAfter").GetDateTimeOffset().UtcDateTime);

        var one = await _host.GetJsonAsync("/api/v1/certificates/site.pem");
        Assert.Equal(renewed.CertPem, one.GetProperty("certPem").GetString());
        Assert.False(one.TryGetProperty("keyPem", out _));
    }

    [Fact]
    public async Task EveryChange_IsAudited_WithoutTheKey()
    {
        var leaf = TestCertificates.SelfSigned();
        using (var put = await PutCertificateAsync("site.pem", leaf.CertPem, leaf.KeyPem))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        using (var delete = await _host.Client.DeleteAsync("/api/v1/certificates/site.pem"))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        using var audit = await _host.Client.GetAsync("/api/v1/audit?limit=10");
        var text = await audit.Content.ReadAsStringAsync();
        Assert.DoesNotContain("PRIVATE KEY", text, StringComparison.Ordinal);
        Assert.DoesNotContain(leaf.KeyPem.Split('\n')[1], text, StringComparison.Ordinal);
        var actions = JsonDocument.Parse(text).RootElement.EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToArray();
        Assert.Equal(["certificate.delete", "certificate.create"], actions.Take(2));
        Assert.Contains("sha256", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidPem_IsRefused_NamingCertPem()
    {
        using var response = await PutCertificateAsync("bad.pem", "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n", null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = await FirstErrorAsync(response);
        Assert.Equal("certificate 'bad.pem'", error.GetProperty("object").GetString());
        Assert.Equal("certPem", error.GetProperty("field").GetString());

        using var empty = await PutCertificateAsync("empty.pem", "hello", null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, empty.StatusCode);
        Assert.Contains("at least one PEM certificate", (await FirstErrorAsync(empty)).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyOfAnotherCertificate_IsRefused_NamingKeyPem()
    {
        var leaf = TestCertificates.SelfSigned();
        var other = TestCertificates.SelfSigned();
        using var response = await PutCertificateAsync("site.pem", leaf.CertPem, other.KeyPem);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = await FirstErrorAsync(response);
        Assert.Equal("keyPem", error.GetProperty("field").GetString());
        Assert.Contains("does not match", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiredCertificate_IsRefused()
    {
        var expired = TestCertificates.SelfSigned(days: 2, notBefore: DateTimeOffset.UtcNow.AddDays(-10));
        using var response = await PutCertificateAsync("old.pem", expired.CertPem, expired.KeyPem);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = await FirstErrorAsync(response);
        Assert.Equal("certPem", error.GetProperty("field").GetString());
        Assert.Contains("expired", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_IsRefused_WhileABindOrAServerNamesIt()
    {
        var leaf = TestCertificates.SelfSigned();
        var ca = TestCertificates.CertificateAuthority();
        using (var put = await PutCertificateAsync("site.pem", leaf.CertPem, leaf.KeyPem))
        using (var putCa = await PutCertificateAsync("ca.pem", ca.CertPem, null))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            Assert.Equal(HttpStatusCode.Created, putCa.StatusCode);
        }

        await SeedTlsFrontendAsync();
        using (var server = await _host.PutJsonAsync("/api/v1/backends/app/servers/s1",
                   """{"name":"s1","address":"127.0.0.1","port":8443,"ssl":true,"verify":"required","caFile":"ca.pem","sni":"api.internal"}"""))
        {
            Assert.True(server.IsSuccessStatusCode, await server.Content.ReadAsStringAsync());
        }

        using var refused = await _host.Client.DeleteAsync("/api/v1/certificates/site.pem");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("frontend 'web' binds[0]", (await FirstErrorAsync(refused)).GetProperty("message").GetString(), StringComparison.Ordinal);
        using var refusedCa = await _host.Client.DeleteAsync("/api/v1/certificates/ca.pem");
        Assert.Equal(HttpStatusCode.Conflict, refusedCa.StatusCode);
        Assert.Contains("backend 'app' server 's1' caFile", (await FirstErrorAsync(refusedCa)).GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, (await _host.GetJsonAsync("/api/v1/certificates")).GetArrayLength());
    }

    [Fact]
    public async Task BindCertificate_WithoutKey_IsRefusedAtUpload()
    {
        await SeedTlsFrontendAsync();
        var leaf = TestCertificates.SelfSigned();
        using var response = await PutCertificateAsync("site.pem", leaf.CertPem, null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = await FirstErrorAsync(response);
        Assert.Equal("keyPem", error.GetProperty("field").GetString());
        Assert.Contains("frontend 'web' binds[0]", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_RefusesMissingCertificate_ThenCarriesOnlyReferencedOnes_AndARenewalChangesTheHash()
    {
        await SeedTlsFrontendAsync();
        using (var refused = await _host.PublishAsync())
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            var error = await FirstErrorAsync(refused);
            Assert.Equal("binds[0]", error.GetProperty("field").GetString());
            Assert.Contains("certificate 'site.pem' does not exist", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        var leaf = TestCertificates.SelfSigned();
        var unused = TestCertificates.SelfSigned("unused.test");
        using (var put = await PutCertificateAsync("site.pem", leaf.CertPem, leaf.KeyPem))
        using (var putUnused = await PutCertificateAsync("unused.pem", unused.CertPem, unused.KeyPem))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            Assert.Equal(HttpStatusCode.Created, putUnused.StatusCode);
        }

        using (var published = await _host.PublishAsync())
        {
            Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        }

        var store = _host.App.Services.GetRequiredService<Ballast.ControlPlane.Store.VersionStore>();
        var v1 = (await store.GetAsync(1, CancellationToken.None))!;
        var carried = Assert.Single(v1.Config.Certificates);
        Assert.Equal("site.pem", carried.Name);
        Assert.Equal(leaf.KeyPem, carried.KeyPem);
        var bind = Assert.Single(v1.Config.Frontends[0].Binds);
        Assert.True(bind.Ssl);
        Assert.Equal(["site.pem"], bind.Certificates);
        Assert.Equal(["h2", "http/1.1"], bind.Alpn);

        // The version as the API shows it never holds the key.
        using (var shown = await _host.Client.GetAsync("/api/v1/versions/1"))
        {
            Assert.DoesNotContain("PRIVATE KEY", await shown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var renewed = TestCertificates.SelfSigned();
        using (var put = await PutCertificateAsync("site.pem", renewed.CertPem, renewed.KeyPem))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        using (var published = await _host.PublishAsync())
        {
            Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        }

        using (var again = await _host.PublishAsync())
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        var versions = await store.ListAsync(CancellationToken.None);
        var hashes = versions.OrderBy(v => v.Version).Select(v => v.Hash).ToArray();
        Assert.NotEqual(hashes[0], hashes[1]);
        Assert.Equal(hashes[1], hashes[2]);
        Assert.Equal(renewed.CertPem, (await store.GetAsync(2, CancellationToken.None))!.Config.Certificates[0].CertPem);
    }

    [Fact]
    public async Task Publish_RefusesCaFileThatDoesNotExist()
    {
        await _host.SeedValidConfigAsync();
        using (var server = await _host.PutJsonAsync("/api/v1/backends/app/servers/s1",
                   """{"name":"s1","address":"127.0.0.1","port":8443,"ssl":true,"caFile":"ca.pem"}"""))
        {
            Assert.True(server.IsSuccessStatusCode, await server.Content.ReadAsStringAsync());
        }

        using var refused = await _host.PublishAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var error = await FirstErrorAsync(refused);
        Assert.Equal("backend 'app' server 's1'", error.GetProperty("object").GetString());
        Assert.Equal("caFile", error.GetProperty("field").GetString());
    }

    [Fact]
    public async Task ServerTlsFields_RoundTrip_AndAreRefusedWithoutSsl()
    {
        await _host.SeedValidConfigAsync();
        using (var ok = await _host.PutJsonAsync("/api/v1/backends/app/servers/s2",
                   """{"name":"s2","address":"10.0.0.2","port":443,"ssl":true,"verify":"none","sni":"api.example.test"}"""))
        {
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }

        var s2 = await _host.GetJsonAsync("/api/v1/backends/app/servers/s2");
        Assert.True(s2.GetProperty("ssl").GetBoolean());
        Assert.Equal("none", s2.GetProperty("verify").GetString());
        Assert.Equal("api.example.test", s2.GetProperty("sni").GetString());

        using var refused = await _host.PutJsonAsync("/api/v1/backends/app/servers/s3",
            """{"name":"s3","address":"10.0.0.3","port":80,"sni":"x.test","caFile":"ca.pem"}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var fields = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToArray();
        Assert.Equal(["caFile", "sni"], fields.Order());
    }

    [Theory]
    [InlineData("""{"name":"s2","address":"10.0.0.2","port":443,"ssl":true,"verify":"none","sendProxy":"send-proxy-v2"}""", "sendProxy")]
    [InlineData("""{"name":"s2","address":"10.0.0.2","port":443,"ssl":true,"verify":"none","check":true}""", "check")]
    [InlineData("""{"name":"s2","address":"127.0.0.1","port":8081,"ssl":true,"verify":"none"}""", "ssl")]
    public async Task Publish_RefusesServerTlsThatNodesDoNotImplement_NamingTheField(string server, string field)
    {
        // The seeded backend has an HTTP check and a plain server s1 on 127.0.0.1:8081; the third case adds a second
        // ssl server on that address with other verify settings than a first one.
        await _host.SeedValidConfigAsync();
        if (field == "ssl")
        {
            using var first = await _host.PutJsonAsync("/api/v1/backends/app/servers/s1",
                """{"name":"s1","address":"127.0.0.1","port":8081,"ssl":true,"verify":"required"}""");
            Assert.True(first.IsSuccessStatusCode, await first.Content.ReadAsStringAsync());
        }

        using (var put = await _host.PutJsonAsync("/api/v1/backends/app/servers/s2", server))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        using var publish = await _host.PublishAsync("node limits");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, publish.StatusCode);
        var errors = (await publish.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray().ToArray();
        Assert.Contains(errors, e => e.GetProperty("field").GetString() == field && e.GetProperty("object").GetString()!.Contains("'s2'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NativeApply_CarriesCertificates_ExportNeverHoldsKeys_AndReappliesUnchanged()
    {
        await SeedTlsFrontendAsync();
        var leaf = TestCertificates.SelfSigned();
        using (var put = await PutCertificateAsync("site.pem", leaf.CertPem, leaf.KeyPem))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        using var export = await _host.Client.GetAsync("/api/v1/export/native");
        var native = await export.Content.ReadAsStringAsync();
        Assert.DoesNotContain("PRIVATE KEY", native, StringComparison.Ordinal);
        Assert.Contains("\"certificates\"", native, StringComparison.Ordinal);

        // Applying the export (no keys in it) keeps the stored key: nothing changes and publish still works.
        using (var apply = await _host.Client.PostAsync("/api/v1/apply", new StringContent(native)))
        {
            var body = await apply.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, apply.StatusCode);
            Assert.Empty(JsonDocument.Parse(body).RootElement.GetProperty("changes").EnumerateArray());
        }

        using (var published = await _host.PublishAsync())
        {
            Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        }

        // A renewal through apply: the diff shows fingerprints, never PEM or key text.
        var renewed = TestCertificates.SelfSigned();
        var doc = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(native)!;
        doc["certificates"] = JsonSerializer.SerializeToElement(new[] { new { name = "site.pem", certPem = renewed.CertPem, keyPem = renewed.KeyPem } });
        using var renewal = await _host.Client.PostAsync("/api/v1/apply?dryRun=true", new StringContent(JsonSerializer.Serialize(doc)));
        var renewalText = await renewal.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, renewal.StatusCode);
        Assert.DoesNotContain("PRIVATE KEY", renewalText, StringComparison.Ordinal);
        Assert.DoesNotContain("BEGIN CERTIFICATE", renewalText, StringComparison.Ordinal);
        var changes = JsonDocument.Parse(renewalText).RootElement.GetProperty("changes").EnumerateArray().ToArray();
        Assert.Equal(["certPem", "keyPem"], changes.Select(c => c.GetProperty("field").GetString()));
        Assert.StartsWith("sha256:", changes[0].GetProperty("to").GetString(), StringComparison.Ordinal);
        Assert.Equal("(new private key)", changes[1].GetProperty("to").GetString());
    }

    [Fact]
    public async Task NativeApply_RefusesAnExpiredCertificate()
    {
        var expired = TestCertificates.SelfSigned(days: 2, notBefore: DateTimeOffset.UtcNow.AddDays(-10));
        var file = JsonSerializer.Serialize(new { certificates = new[] { new { name = "old.pem", certPem = expired.CertPem, keyPem = expired.KeyPem } } });
        using var response = await _host.Client.PostAsync("/api/v1/apply", new StringContent(file));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = await FirstErrorAsync(response);
        Assert.Equal("certificate 'old.pem'", error.GetProperty("object").GetString());
        Assert.Contains("expired", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
