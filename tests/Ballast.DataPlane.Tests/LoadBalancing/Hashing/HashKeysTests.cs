using System.Net;
using System.Text;
using Ballast.DataPlane.Config;
using Ballast.DataPlane.LoadBalancing;
using Ballast.DataPlane.LoadBalancing.Hashing;
using Microsoft.AspNetCore.Http;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.LoadBalancing.Hashing;

public class HashKeysTests
{
    private static readonly BalanceSettings Uri = BalanceSettings.RoundRobin with { Algorithm = V1.Balance.Uri };

    private static uint Sdbm(string text) => HaproxyHash.Sdbm(Encoding.ASCII.GetBytes(text));

    private static uint HashOf(BalanceSettings settings, string? target = null, IHeaderDictionary? headers = null, IPAddress? source = null)
    {
        Assert.True(HashKeys.TryHash(settings, new BalanceInput(source, target, headers), out var hash));
        return hash;
    }

    [Theory]
    [InlineData("/a/b/c?x=1", "/a/b/c")]
    [InlineData("/", "/")]
    [InlineData("/?q", "/")]
    [InlineData("http://example.com/a?b", "http://example.com/a")]
    public void Uri_HashesTheLeftPartOfTheUri(string target, string key)
    {
        Assert.Equal(Sdbm(key), HashOf(Uri, target));
    }

    [Theory]
    [InlineData(0, 0, false, "/a/b/c?x=1", "/a/b/c")]
    [InlineData(0, 0, true, "/a/b/c?x=1", "/a/b/c?x=1")]
    [InlineData(4, 0, false, "/a/b/c?x=1", "/a/b")]
    [InlineData(0, 1, false, "/a/b/c?x=1", "/a")]
    [InlineData(0, 2, false, "/a/b/c?x=1", "/a/b")]
    [InlineData(0, 2, false, "/a?x=/y/z", "/a")]
    [InlineData(0, 2, true, "/a?x=/y/z", "/a?x=/y")]
    [InlineData(3, 2, false, "/abcdef/g", "/ab")]
    public void Uri_LenDepthAndWhole_CutTheKeyLikeHaproxy(int len, int depth, bool whole, string target, string key)
    {
        var settings = Uri with { UriLen = len, UriDepth = depth, UriWhole = whole };

        Assert.Equal(Sdbm(key), HashOf(settings, target));
    }

    [Theory]
    [InlineData("http://example.com/a/b?c", "/a/b")]
    [InlineData("https://user@host:8443/x", "/x")]
    [InlineData("http://example.com", "")]
    [InlineData("*", "")]
    [InlineData("/plain/path", "/plain/path")]
    [InlineData("host:80", "")]
    public void Uri_PathOnly_SkipsSchemeAndAuthority(string target, string key)
    {
        Assert.Equal(Sdbm(key), HashOf(Uri with { UriPathOnly = true }, target));
    }

    [Theory]
    [InlineData("/?userid=42", "42")]
    [InlineData("/p?a=1&userid=abc&b=2", "abc")]
    [InlineData("/p?userid=&x=1", "")]
    [InlineData("/p?userid=1&userid=2", "1")]
    public void UrlParam_HashesTheFirstValue(string target, string value)
    {
        var settings = BalanceSettings.RoundRobin with { Algorithm = V1.Balance.UrlParam, Param = "userid" };

        Assert.Equal(Sdbm(value), HashOf(settings, target));
    }

    [Theory]
    [InlineData("/p")]
    [InlineData("/p?")]
    [InlineData("/p?user=1")]
    [InlineData("/p?useridx=1")]
    [InlineData("/p?UserId=1")]
    [InlineData("/p?userid")]
    [InlineData("/p?a=userid=1")]
    public void UrlParam_MissingParameter_HasNoKey(string target)
    {
        var settings = BalanceSettings.RoundRobin with { Algorithm = V1.Balance.UrlParam, Param = "userid" };

        Assert.False(HashKeys.TryHash(settings, new BalanceInput(null, target, null), out _));
    }

    [Theory]
    [InlineData("haproxy.1wt.eu", "1wt")]
    [InlineData("www.example.com", "example")]
    [InlineData("example.com", "example")]
    [InlineData("localhost", "localhost")]
    [InlineData("a.b", "a")]
    [InlineData("x.", "x")]
    public void Hdr_UseDomainOnly_HashesTheLabelBeforeTheLastDot(string host, string key)
    {
        var settings = BalanceSettings.RoundRobin with { Algorithm = V1.Balance.Hdr, Param = "Host", UseDomainOnly = true };
        var headers = new HeaderDictionary { ["Host"] = host };

        Assert.Equal(Sdbm(key), HashOf(settings, headers: headers));
    }

    [Fact]
    public void Hdr_TakesTheFirstValueOfTheFirstLine_CaseInsensitiveName()
    {
        var settings = BalanceSettings.RoundRobin with { Algorithm = V1.Balance.Hdr, Param = "x-key" };

        Assert.Equal(Sdbm("a"), HashOf(settings, headers: new HeaderDictionary { ["X-Key"] = "a, b" }));
        Assert.Equal(Sdbm("\"q,uoted\""), HashOf(settings, headers: new HeaderDictionary { ["X-Key"] = "\"q,uoted\", b" }));
        Assert.Equal(Sdbm("first"), HashOf(settings, headers: new HeaderDictionary { ["X-Key"] = new(["first", "second"]) }));
        Assert.False(HashKeys.TryHash(settings, new BalanceInput(null, "/", new HeaderDictionary { ["X-Key"] = ", b" }), out _));
        Assert.False(HashKeys.TryHash(settings, new BalanceInput(null, "/", new HeaderDictionary()), out _));
    }

    [Fact]
    public void Source_Ipv4IsItsOwnHash_Ipv6WordsAreXored()
    {
        var source = BalanceSettings.RoundRobin with { Algorithm = V1.Balance.Source };

        Assert.Equal(0x7F000102u, HashOf(source, source: IPAddress.Parse("127.0.1.2")));
        Assert.Equal(0x7F000102u, HashOf(source, source: IPAddress.Parse("::ffff:127.0.1.2")));
        Assert.Equal(0x20010db8u ^ 0x1u, HashOf(source, source: IPAddress.Parse("2001:db8::1")));
        Assert.Equal(HaproxyHash.FullHash(0x0A000001), HashOf(source with { Avalanche = true }, source: IPAddress.Parse("10.0.0.1")));
    }

    [Fact]
    public void LongKeys_AreHashedWhole()
    {
        var target = "/" + new string('x', 5000);

        Assert.Equal(Sdbm(target), HashOf(Uri, target));
    }
}
