using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Rules;

/// <summary>Cookie persistence and <c>stick on src</c> through the real proxy.</summary>
public sealed class PersistenceIntegrationTests : RulesIntegrationTestBase
{
    private async Task<(int Port, EchoBackend A, EchoBackend B)> StartAsync(Action<V1.Backend> configure, ulong version = 1)
    {
        var a = await StartBackendAsync("a");
        var b = await StartBackendAsync("b");
        var port = Ports.GetFreePort();
        var backend = Backend("app", Server("a", a.Port), Server("b", b.Port));
        configure(backend);
        await ApplyOkAsync(NewConfig([Frontend("web", "app", port)], [backend]), version);
        return (port, a, b);
    }

    [Fact]
    public async Task CookieInsert_SticksToTheServer_AndMovesWithANewCookieWhenItIsDown()
    {
        var (port, a, _) = await StartAsync(b =>
        {
            b.Cookie = new V1.CookiePersistence { Name = "SRV", Mode = V1.CookieMode.Insert, Indirect = true, Nocache = true, Httponly = true };
            b.Servers[0].Cookie = "s1";
            b.Servers[1].Cookie = "s2";
        });

        using (var first = await SendAsync(port, "/"))
        {
            Assert.Equal("a /", await first.Content.ReadAsStringAsync());
            Assert.Equal("SRV=s1; path=/; HttpOnly", first.Headers.GetValues("Set-Cookie").Single());
            Assert.Equal("private", first.Headers.CacheControl!.ToString());
        }

        for (var i = 0; i < 4; i++)
        {
            using var again = await SendAsync(port, "/", r => r.Headers.Add("Cookie", "other=1; SRV=s1"));
            Assert.Equal("a /", await again.Content.ReadAsStringAsync());
            Assert.False(again.Headers.Contains("Set-Cookie")); // a valid cookie gets no new one
            Assert.Equal("other=1", again.Headers.GetValues("X-Echo-Cookie").Single()); // indirect: removed
        }

        await a.StopAsync();
        using var moved = await SendAsync(port, "/", r => r.Headers.Add("Cookie", "SRV=s1"));
        Assert.Equal("b /", await moved.Content.ReadAsStringAsync());
        Assert.Equal("SRV=s2; path=/; HttpOnly", moved.Headers.GetValues("Set-Cookie").Single());
    }

    [Fact]
    public async Task CookiePrefixAndRewrite_ModifyTheServersCookie()
    {
        var (port, a, b) = await StartAsync(backend =>
        {
            backend.Cookie = new V1.CookiePersistence { Name = "JSESSIONID", Mode = V1.CookieMode.Prefix };
            backend.Servers[0].Cookie = "s1";
            backend.Servers[1].Cookie = "s2";
        });
        a.SetCookie = "JSESSIONID=abc; Path=/";
        b.SetCookie = "JSESSIONID=abc; Path=/";

        using (var response = await SendAsync(port, "/", r => r.Headers.Add("Cookie", "JSESSIONID=s2~xyz")))
        {
            Assert.Equal("b /", await response.Content.ReadAsStringAsync());
            Assert.Equal("JSESSIONID=xyz", response.Headers.GetValues("X-Echo-Cookie").Single());
            Assert.Equal("JSESSIONID=s2~abc; Path=/", response.Headers.GetValues("Set-Cookie").Single());
        }

        var rewrite = Backend("app", Server("a", a.Port), Server("b", b.Port));
        rewrite.Cookie = new V1.CookiePersistence { Name = "JSESSIONID", Mode = V1.CookieMode.Rewrite };
        rewrite.Servers[0].Cookie = "s1";
        rewrite.Servers[1].Cookie = "s2";
        await ApplyOkAsync(NewConfig([Frontend("web", "app", port)], [rewrite]), 2);
        using (var response = await SendAsync(port, "/", r => r.Headers.Add("Cookie", "JSESSIONID=s1")))
        {
            Assert.Equal("a /", await response.Content.ReadAsStringAsync());
            Assert.Equal("JSESSIONID=s1; Path=/", response.Headers.GetValues("Set-Cookie").Single());
        }
    }

    [Fact]
    public async Task StickOnSrc_KeepsTheClientOnItsServer_AndMovesWhenItIsDown()
    {
        var (port, a, b) = await StartAsync(backend =>
        {
            backend.StickTable = new V1.StickTable { Type = V1.StickTableType.Ip, Size = 1000, ExpireMs = 60_000 };
            backend.StickOn = "src";
        });

        var first = await GetAsync(port, "/");
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(first, await GetAsync(port, "/")); // round robin would alternate
        }

        await (first == "200 a /" ? a : b).StopAsync();
        var moved = await GetAsync(port, "/");
        Assert.NotEqual(first, moved);
        Assert.StartsWith("200", moved);
        Assert.Equal(moved, await GetAsync(port, "/"));
    }
}
