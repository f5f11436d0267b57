using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.LoadBalancing;

/// <summary>
/// <c>balance first</c> and <c>balance random</c> through the proxy with real Kestrel backends on 127.0.0.1 (their
/// picks are unit-tested in FirstBalancerTests and RandomBalancerTests).
/// </summary>
public sealed class FirstAndRandomIntegrationTests : ProxyEngineTestBase
{
    [Fact]
    public async Task First_FillsTheLowestIdServerUpToMaxconn_ThenUsesTheNext()
    {
        var a = await StartBackendAsync("a");
        var b = await StartBackendAsync("b");
        var port = Ports.GetFreePort();
        // Declared b then a, but a has the lower id: HAProxy's `first` orders by id.
        var backend = Backend("app", Server("b", b.Port, maxconn: 2), Server("a", a.Port, maxconn: 2));
        backend.Servers[0].Id = 2;
        backend.Servers[1].Id = 1;
        backend.Balance = V1.Balance.First;
        await ApplyOkAsync(1, NewConfig([Frontend("web", "app", port)], [backend]));

        // One at a time: always the first server.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("200 a", await GetAsync(port));
        }

        // Three at once while a holds its 2 slots: the third goes to b.
        var slow = Enumerable.Range(0, 2).Select(_ => GetAsync(port, "/?delayMs=800")).ToArray();
        await WaitUntilAsync(() => Row("app", "a").Scur == 2);
        Assert.Equal("200 b", await GetAsync(port));
        Assert.All(await Task.WhenAll(slow), r => Assert.Equal("200 a", r));
    }

    [Fact]
    public async Task Random_SpreadsRequestsOverEveryServer_AndAvoidsTheBusyOneWithTwoDraws()
    {
        var a = await StartBackendAsync("a");
        var b = await StartBackendAsync("b");
        var port = Ports.GetFreePort();
        var backend = Backend("app", Server("a", a.Port), Server("b", b.Port));
        backend.Balance = V1.Balance.Random;
        await ApplyOkAsync(1, NewConfig([Frontend("web", "app", port)], [backend]));

        var picks = new Dictionary<string, int>();
        for (var i = 0; i < 60; i++)
        {
            var body = await GetAsync(port);
            picks[body] = picks.GetValueOrDefault(body) + 1;
        }

        Assert.True(picks.GetValueOrDefault("200 a") > 0 && picks.GetValueOrDefault("200 b") > 0, string.Join(", ", picks));

        // While a long request holds one server, power-of-two choices sends new requests to the idle one whenever
        // the two draws differ: the busy server gets about a quarter (both draws on it), not half. Of 100, fewer
        // than 40: false alarm p < 0.001 at a quarter; a plain random pick (half) fails it 97 % of the time.
        var busy = GetAsync(port, "/?delayMs=5000");
        await WaitUntilAsync(() => Row("app", "a").Scur + Row("app", "b").Scur == 1);
        var busyName = Row("app", "a").Scur == 1 ? "200 a" : "200 b";
        var toBusy = 0;
        for (var i = 0; i < 100; i++)
        {
            toBusy += await GetAsync(port) == busyName ? 1 : 0;
        }

        Assert.True(toBusy < 40, $"{toBusy} of 100 went to the busy server");
        Assert.StartsWith("200 ", await busy);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(20);
        }

        Assert.True(condition(), "condition not reached within 4 s");
    }
}
