using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ballast.ControlPlane.Tests.TestSupport;

namespace Ballast.ControlPlane.Tests.Api;

public sealed class ConfigApiTests : IAsyncLifetime
{
    private ControlPlaneHost _host = null!;

    public async Task InitializeAsync() => _host = await ControlPlaneHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static async Task<JsonElement> FirstError(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0];

    [Fact]
    public async Task Frontend_PutGetListDelete_RoundTripsTheExactShape()
    {
        const string body = """{"name":"web","mode":"http","binds":["127.0.0.1:8080"],"defaultBackend":"app","maxconn":0,"timeoutClientMs":0,"timeoutHttpRequestMs":0,"timeoutHttpKeepAliveMs":0,"forwardfor":false,"forwardforExcept":"","forwardforHeader":"","acls":[],"useBackends":[],"httpRequest":[],"httpResponse":[],"stickTable":"","logs":[],"optionHttplog":false,"optionTcplog":false,"optionDontlognull":false,"logFormat":"","captureRequestHeaders":[],"captureResponseHeaders":[]}""";
        using (var created = await _host.PutJsonAsync("/api/v1/frontends/web", body))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Equal("/api/v1/frontends/web", created.Headers.Location?.OriginalString);
        }

        using (var replaced = await _host.PutJsonAsync("/api/v1/frontends/web", body))
        {
            Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        }

        Assert.Equal(body, (await _host.GetJsonAsync("/api/v1/frontends/web")).GetRawText());
        Assert.Equal($"[{body}]", (await _host.GetJsonAsync("/api/v1/frontends")).GetRawText());

        using (var deleted = await _host.Client.DeleteAsync("/api/v1/frontends/web"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using var missing = await _host.Client.GetAsync("/api/v1/frontends/web");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("frontend 'web'", (await FirstError(missing)).GetProperty("object").GetString());
    }

    [Fact]
    public async Task Backend_PutGet_RoundTripsTheExactShapeWithServers()
    {
        const string body = """{"name":"app","mode":"http","balance":"roundrobin","balanceParam":"","uriLen":0,"uriDepth":0,"uriPathOnly":false,"uriWhole":false,"hdrUseDomainOnly":false,"randomDraws":0,"hashType":"map-based","hashFunction":"default","hashAvalanche":false,"timeoutConnectMs":0,"timeoutServerMs":0,"allbackups":true,"timeoutQueueMs":2500,"retries":2,"retryOn":["conn-failure","503"],"redispatch":-1,"forwardfor":true,"forwardforExcept":"10.0.0.0/8","forwardforHeader":"X-Client","timeoutTunnelMs":0,"forwarded":false,"forwardedParams":[],"acls":[],"httpRequest":[],"httpResponse":[],"cookie":"","stickTable":"","stickOn":"","healthCheck":{"type":"http","method":"GET","path":"/","expectStatus":200,"interMs":2000,"rise":2,"fall":3,"timeoutMs":1000,"fastinterMs":500,"downinterMs":5000,"expectKind":"status","expectValue":"200-299"},"servers":[{"name":"s1","address":"127.0.0.1","port":8081,"weight":1,"maxconn":0,"state":"ready","check":true,"id":0,"backup":true,"slowstartMs":10000,"maxqueue":0,"checkPort":8008,"checkAddr":"127.0.0.2","cookie":"","ssl":false,"verify":"required","caFile":"","sni":"","observe":"none","errorLimit":0,"onError":"fail-check","sendProxy":"none"}]}""";
        using (var created = await _host.PutJsonAsync("/api/v1/backends/app", body))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        Assert.Equal(body, (await _host.GetJsonAsync("/api/v1/backends/app")).GetRawText());
        Assert.Equal($"[{body}]", (await _host.GetJsonAsync("/api/v1/backends")).GetRawText());
    }

    [Fact]
    public async Task BackendPut_WithoutServers_KeepsThem_AndWithServersReplacesThem()
    {
        await _host.SeedValidConfigAsync();
        using (var keep = await _host.PutJsonAsync("/api/v1/backends/app", """{"balance":"roundrobin"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, keep.StatusCode);
        }

        Assert.Equal(1, (await _host.GetJsonAsync("/api/v1/backends/app/servers")).GetArrayLength());
        using (var replace = await _host.PutJsonAsync("/api/v1/backends/app", """{"servers":[]}"""))
        {
            Assert.Equal(HttpStatusCode.OK, replace.StatusCode);
        }

        Assert.Equal(0, (await _host.GetJsonAsync("/api/v1/backends/app/servers")).GetArrayLength());
    }

    [Fact]
    public async Task Server_PutGetPatchDelete()
    {
        await _host.SeedValidConfigAsync();
        using (var put = await _host.PutJsonAsync("/api/v1/backends/app/servers/s2", """{"address":"10.0.0.2","port":9000}"""))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        using (var patch = await _host.PatchJsonAsync("/api/v1/backends/app/servers/s2", """{"weight":10,"state":"drain"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        }

        Assert.Equal(
            """{"name":"s2","address":"10.0.0.2","port":9000,"weight":10,"maxconn":0,"state":"drain","check":false,"id":0,"backup":false,"slowstartMs":0,"maxqueue":0,"checkPort":0,"checkAddr":"","cookie":"","ssl":false,"verify":"required","caFile":"","sni":"","observe":"none","errorLimit":0,"onError":"fail-check","sendProxy":"none"}""",
            (await _host.GetJsonAsync("/api/v1/backends/app/servers/s2")).GetRawText());
        Assert.Equal(2, (await _host.GetJsonAsync("/api/v1/backends/app/servers")).GetArrayLength());

        using (var deleted = await _host.Client.DeleteAsync("/api/v1/backends/app/servers/s2"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using var gone = await _host.Client.GetAsync("/api/v1/backends/app/servers/s2");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task ServerPatch_WeightOutOfRange_Returns422NamingObjectAndField()
    {
        await _host.SeedValidConfigAsync();
        using var response = await _host.PatchJsonAsync("/api/v1/backends/app/servers/s1", """{"weight":300}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(
            """{"errors":[{"object":"backend 'app' server 's1'","field":"weight","message":"must be 0-256 (got 300)"}]}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ServerPut_PortZero_Returns422()
    {
        await _host.SeedValidConfigAsync();
        using var response = await _host.PutJsonAsync("/api/v1/backends/app/servers/s9", """{"address":"127.0.0.1","port":0}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = await FirstError(response);
        Assert.Equal(("backend 'app' server 's9'", "port", "must be 1-65535 (got 0)"),
            (error.GetProperty("object").GetString(), error.GetProperty("field").GetString(), error.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task ServerPut_OnMissingBackend_Returns404()
    {
        using var response = await _host.PutJsonAsync("/api/v1/backends/nope/servers/s1", """{"address":"127.0.0.1","port":80}""");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("backend 'nope'", (await FirstError(response)).GetProperty("object").GetString());
    }

    [Theory]
    [InlineData("""{"state":"sleeping"}""", "state", "must be one of: ready, drain, maint (got 'sleeping')")]
    [InlineData("""{"weight":-1}""", "weight", "must be a whole number of 0 or more")]
    [InlineData("""{"weight":"5"}""", "weight", "must be a whole number of 0 or more")]
    [InlineData("""{"check":"yes"}""", "check", "must be true or false")]
    public async Task ServerPatch_BadValue_Returns400NamingTheField(string body, string field, string message)
    {
        await _host.SeedValidConfigAsync();
        using var response = await _host.PatchJsonAsync("/api/v1/backends/app/servers/s1", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await FirstError(response);
        Assert.Equal((field, message), (error.GetProperty("field").GetString(), error.GetProperty("message").GetString()));
    }

    [Theory]
    [InlineData("""{"mode":"udp"}""", "mode")]
    [InlineData("""{"balance":"fastest"}""", "balance")]
    [InlineData("""{"healthCheck":{"type":"icmp"}}""", "healthCheck.type")]
    [InlineData("""{"servers":[{"name":"s1","state":1}]}""", "servers[0].state")]
    [InlineData("""{"mode":null}""", "mode")]
    public async Task BackendPut_BadEnumOrNull_Returns400NamingTheField(string body, string field)
    {
        using var response = await _host.PutJsonAsync("/api/v1/backends/app", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await FirstError(response)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task BackendPut_BalanceOptionsAndHashType_RoundTripAsHaproxyWords()
    {
        const string body = """{"name":"app","mode":"http","balance":"url_param","balanceParam":"userid","uriLen":0,"uriDepth":0,"uriPathOnly":false,"uriWhole":false,"hdrUseDomainOnly":false,"randomDraws":0,"hashType":"consistent","hashFunction":"djb2","hashAvalanche":true,"timeoutConnectMs":3000,"timeoutServerMs":20000,"allbackups":false,"timeoutQueueMs":0,"retries":null,"retryOn":[],"redispatch":null,"forwardfor":false,"forwardforExcept":"","forwardforHeader":"","timeoutTunnelMs":0,"forwarded":false,"forwardedParams":[],"acls":[],"httpRequest":[],"httpResponse":[],"cookie":"","stickTable":"","stickOn":"","healthCheck":{"type":"none","method":"","path":"","expectStatus":0,"interMs":0,"rise":0,"fall":0,"timeoutMs":0,"fastinterMs":0,"downinterMs":0,"expectKind":"default","expectValue":""},"servers":[{"name":"s1","address":"127.0.0.1","port":8081,"weight":2,"maxconn":0,"state":"ready","check":false,"id":12,"backup":false,"slowstartMs":0,"maxqueue":0,"checkPort":0,"checkAddr":"","cookie":"","ssl":false,"verify":"required","caFile":"","sni":"","observe":"none","errorLimit":0,"onError":"fail-check","sendProxy":"none"}]}""";
        using (var put = await _host.PutJsonAsync("/api/v1/backends/app", body))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        Assert.Equal(body, (await _host.GetJsonAsync("/api/v1/backends/app")).GetRawText());
    }

    [Theory]
    [InlineData("""{"balance":"url_param"}""", "balanceParam", "must name the query parameter to hash for balance url_param, e.g. \"userid\"")]
    [InlineData("""{"balance":"hdr","balanceParam":"bad header"}""", "balanceParam", "must be a header name token (got 'bad header')")]
    [InlineData("""{"balance":"roundrobin","uriDepth":2}""", "uriDepth", "applies only to balance uri (balance is 'roundrobin')")]
    [InlineData("""{"balance":"random","randomDraws":500}""", "randomDraws", "must be 0 (default 2) or 1-100 (got 500)")]
    [InlineData("""{"mode":"tcp","balance":"uri"}""", "balance", "'uri' hashes HTTP requests and needs mode http (the backend is mode tcp)")]
    [InlineData("""{"servers":[{"name":"a","address":"127.0.0.1","port":1,"id":3},{"name":"b","address":"127.0.0.1","port":2,"id":3}]}""", "id", "3 is already the id of server 'a'")]
    public async Task BackendPut_BalanceOptionProblem_Returns422NamingTheField(string body, string field, string message)
    {
        using var response = await _host.PutJsonAsync("/api/v1/backends/app", body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = await FirstError(response);
        Assert.Equal((field, message), (error.GetProperty("field").GetString(), error.GetProperty("message").GetString()));
    }

    [Theory]
    [InlineData("""{"hashType":"ring"}""", "hashType", "must be one of: map-based, consistent (got 'ring')")]
    [InlineData("""{"hashFunction":"md5"}""", "hashFunction", "must be one of: default, sdbm, djb2, wt6, crc32, none (got 'md5')")]
    public async Task BackendPut_UnknownHashWord_Returns400ListingTheWords(string body, string field, string message)
    {
        using var response = await _host.PutJsonAsync("/api/v1/backends/app", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await FirstError(response);
        Assert.Equal((field, message), (error.GetProperty("field").GetString(), error.GetProperty("message").GetString()));
    }

    [Theory]
    [InlineData("roundrobin")]
    [InlineData("static-rr")]
    [InlineData("leastconn")]
    [InlineData("first")]
    [InlineData("source")]
    [InlineData("uri")]
    [InlineData("random")]
    public async Task BackendPut_EveryBalanceWord_IsAccepted(string word)
    {
        using var response = await _host.PutJsonAsync("/api/v1/backends/app", $$"""{"balance":"{{word}}"}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(word, (await _host.GetJsonAsync("/api/v1/backends/app")).GetProperty("balance").GetString());
    }

    [Fact]
    public async Task BackendPut_NullHealthCheck_MeansNone()
    {
        using var response = await _host.PutJsonAsync("/api/v1/backends/app", """{"name":"app","servers":[],"healthCheck":null}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("none", (await _host.GetJsonAsync("/api/v1/backends/app")).GetProperty("healthCheck").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Put_MalformedJson_Returns400()
    {
        using var response = await _host.PutJsonAsync("/api/v1/frontends/web", "{\"binds\": [");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("request body", (await FirstError(response)).GetProperty("object").GetString());
    }

    [Fact]
    public async Task FrontendPut_InvalidBind_Returns422NamingTheBind()
    {
        using var response = await _host.PutJsonAsync("/api/v1/frontends/web", """{"binds":["127.0.0.1:8080","localhost:99999"],"defaultBackend":"app"}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = await FirstError(response);
        Assert.Equal(("frontend 'web'", "binds[1]"), (error.GetProperty("object").GetString(), error.GetProperty("field").GetString()));
    }

    [Fact]
    public async Task Put_BodyNameDifferentFromUrl_Returns422()
    {
        using var response = await _host.PutJsonAsync("/api/v1/frontends/web", """{"name":"other","binds":["127.0.0.1:8080"]}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("name", (await FirstError(response)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task Put_InvalidNameInUrl_Returns422()
    {
        using var response = await _host.PutJsonAsync("/api/v1/backends/bad%20name", "{}");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("name", (await FirstError(response)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task DeleteBackend_UsedByFrontend_Returns409()
    {
        await _host.SeedValidConfigAsync();
        using var response = await _host.Client.DeleteAsync("/api/v1/backends/app");
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task GetConfig_ReturnsFrontendsAndBackends()
    {
        await _host.SeedValidConfigAsync();
        var config = await _host.GetJsonAsync("/api/v1/config");
        Assert.Equal("web", config.GetProperty("frontends")[0].GetProperty("name").GetString());
        Assert.Equal("s1", config.GetProperty("backends")[0].GetProperty("servers")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Audit_ListsApiChangesWithActorApi_NewestFirst()
    {
        await _host.SeedValidConfigAsync();
        var audit = await _host.GetJsonAsync("/api/v1/audit?limit=10");
        Assert.Equal(
            [("frontend.create", "frontend 'web'"), ("backend.create", "backend 'app'")],
            audit.EnumerateArray().Select(e => (e.GetProperty("action").GetString(), e.GetProperty("object").GetString())));
        Assert.All(audit.EnumerateArray(), e => Assert.Equal("api", e.GetProperty("actor").GetString()));
    }
}
