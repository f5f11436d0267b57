using System.Net;
using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.LoadBalancing;

/// <summary>
/// Cookie persistence with a server at <c>maxconn 1</c> / <c>maxqueue 1</c> and a real slow backend: a second
/// persistent request waits in the server's queue and is served by that server; a third finds the queue full and is
/// balanced to another server with <c>option redispatch</c>, or refused with 503 without it (HAProxy
/// <c>SRV_STATUS_FULL</c>).
/// </summary>
public sealed class PersistentQueueIntegrationTests : ProxyEngineTestBase
{
    [Theory]
    [InlineData(true, "200 b")]
    [InlineData(false, "503")]
    public async Task CookiePersistentRequests_QueueOnTheirServer_OverflowIsRedispatchedOr503(bool redispatch, string third)
    {
        var a = await StartBackendAsync("a");
        var b = await StartBackendAsync("b");
        var port = Ports.GetFreePort();
        var serverA = Server("a", a.Port, maxconn: 1);
        serverA.Maxqueue = 1;
        serverA.Cookie = "s1";
        var serverB = Server("b", b.Port, maxconn: 1);
        serverB.Cookie = "s2";
        var backend = Backend("app", serverA, serverB);
        backend.Cookie = new V1.CookiePersistence { Name = "SRV", Mode = V1.CookieMode.Insert };
        backend.TimeoutQueueMs = 20_000;
        if (!redispatch)
        {
            backend.Redispatch = 0;
        }

        await ApplyOkAsync(1, NewConfig([Frontend("web", "app", port)], [backend]));

        var first = SendAsync(port, "/slow?delayMs=1500");
        Assert.True(await Eventually.WaitAsync(() => Row("app", "a").Scur == 1, TimeSpan.FromSeconds(10)), "the first request never reached a");
        var second = SendAsync(port, "/queued");
        Assert.True(await Eventually.WaitAsync(() => Row("app", "a").Qcur == 1, TimeSpan.FromSeconds(10)), "the second request did not queue on a");
        Assert.False(second.IsCompleted);

        var overflow = await SendAsync(port, "/overflow"); // a's queue holds maxqueue (1) requests
        Assert.StartsWith(third, overflow, StringComparison.Ordinal);

        Assert.Equal("200 a", await first.WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.Equal("200 a", await second.WaitAsync(TimeSpan.FromSeconds(15))); // waited for its own server
        Assert.Equal(1UL, Row("app", "a").Qmax);
    }

    [Fact]
    public async Task ServerSetToMaintWhileARequestWaitsForIt_WithRedispatch_TheRequestIsServedByAnotherServer()
    {
        var a = await StartBackendAsync("a");
        var b = await StartBackendAsync("b");
        var port = Ports.GetFreePort();
        var serverA = Server("a", a.Port, maxconn: 1);
        serverA.Cookie = "s1";
        var serverB = Server("b", b.Port, maxconn: 1);
        serverB.Cookie = "s2";
        var backend = Backend("app", serverA, serverB);
        backend.Cookie = new V1.CookiePersistence { Name = "SRV", Mode = V1.CookieMode.Insert };
        backend.TimeoutQueueMs = 20_000;
        await ApplyOkAsync(1, NewConfig([Frontend("web", "app", port)], [backend]));

        var first = SendAsync(port, "/slow?delayMs=3000");
        Assert.True(await Eventually.WaitAsync(() => Row("app", "a").Scur == 1, TimeSpan.FromSeconds(10)), "the first request never reached a");
        var second = SendAsync(port, "/queued");
        Assert.True(await Eventually.WaitAsync(() => Row("app", "a").Qcur == 1, TimeSpan.FromSeconds(10)), "the second request did not queue on a");

        var update = new V1.RuntimeUpdate { Revision = 1, Nonce = "n1" };
        update.Overrides.Add(new V1.ServerOverride { Backend = "app", Server = "a", State = V1.ServerState.Maint });
        var applied = await Node.Engine.ApplyRuntimeAsync(update, CancellationToken.None);
        Assert.True(applied.Applied, applied.Error);

        Assert.Equal("200 b", await second.WaitAsync(TimeSpan.FromSeconds(15))); // left a's queue: without that, a serves it
        Assert.Equal("200 a", await first.WaitAsync(TimeSpan.FromSeconds(15)));
    }

    private async Task<string> SendAsync(int port, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}{path}");
        request.Headers.Add("Cookie", "SRV=s1");
        using var response = await Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return response.StatusCode == HttpStatusCode.ServiceUnavailable ? "503" : $"{(int)response.StatusCode} {body}";
    }
}
