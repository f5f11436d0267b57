using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Rules;

/// <summary>
/// Issue 5 cookie options not exercised by <see cref="PersistenceIntegrationTests"/>: <c>secure</c>, and
/// <c>insert</c> without <c>indirect</c>/<c>nocache</c>/<c>httponly</c> (the cookie reaches the server, no cache header).
/// </summary>
public sealed class CookieOptionsIntegrationTests : RulesIntegrationTestBase
{
    [Fact]
    public async Task CookieInsertSecure_WithoutIndirect_MarksTheCookieSecure_AndPassesItToTheServer()
    {
        var a = await StartBackendAsync("a");
        var b = await StartBackendAsync("b");
        var port = Ports.GetFreePort();
        var backend = Backend("app", Server("a", a.Port), Server("b", b.Port));
        backend.Cookie = new V1.CookiePersistence { Name = "SRV", Mode = V1.CookieMode.Insert, Secure = true };
        backend.Servers[0].Cookie = "s1";
        backend.Servers[1].Cookie = "s2";
        await ApplyOkAsync(NewConfig([Frontend("web", "app", port)], [backend]));

        using (var first = await SendAsync(port, "/"))
        {
            var body = await first.Content.ReadAsStringAsync();
            var expected = body.StartsWith("a ", StringComparison.Ordinal) ? "SRV=s1; path=/; Secure" : "SRV=s2; path=/; Secure";
            Assert.Equal(expected, first.Headers.GetValues("Set-Cookie").Single());
            Assert.Null(first.Headers.CacheControl); // no nocache: no "Cache-Control: private"
        }

        for (var i = 0; i < 3; i++)
        {
            using var again = await SendAsync(port, "/", r => r.Headers.Add("Cookie", "SRV=s2"));
            Assert.Equal("b /", await again.Content.ReadAsStringAsync());
            Assert.Equal("SRV=s2", again.Headers.GetValues("X-Echo-Cookie").Single()); // without indirect the server sees it
        }
    }
}
