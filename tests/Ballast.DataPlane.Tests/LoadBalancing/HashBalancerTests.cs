using System.Net;
using Ballast.DataPlane.LoadBalancing;
using Microsoft.AspNetCore.Http;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using static Ballast.DataPlane.Tests.LoadBalancing.BalancerTestKit;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.LoadBalancing;

public class HashBalancerTests
{
    private static V1.Backend UrlParam(V1.HashType type, params V1.Server[] servers)
    {
        var backend = Backend("app", servers);
        backend.Balance = V1.Balance.UrlParam;
        backend.BalanceParam = "id";
        backend.HashType = type;
        return backend;
    }

    [Theory]
    [InlineData(V1.HashType.MapBased)]
    [InlineData(V1.HashType.Consistent)]
    public void Hash_SameKey_SameServer(V1.HashType type)
    {
        var backend = Build(UrlParam(type, Server("a", 1), Server("b", 2), Server("c", 3)));
        var chosen = new HashSet<string>();

        for (var key = 0; key < 30; key++)
        {
            var input = new BalanceInput(null, $"/x?id={key}", null);
            var first = PickSequence(backend, 1, input);
            Assert.Equal(first + " " + first + " " + first, PickSequence(backend, 3, input));
            chosen.Add(first);
        }

        Assert.Equal(3, chosen.Count);
    }

    [Theory]
    [InlineData(V1.HashType.MapBased)]
    [InlineData(V1.HashType.Consistent)]
    public void Hash_MissingKey_FallsBackToRoundRobin(V1.HashType type)
    {
        var backend = Build(UrlParam(type, Server("a", 1), Server("b", 2)));

        var picks = PickSequence(backend, 40, new BalanceInput(null, "/no-query", null)).Split(' ');

        Assert.InRange(picks.Count(n => n == "a"), 10, 30);
    }

    [Fact]
    public void Hash_DesignatedServerFull_FailsThePick()
    {
        var backend = Build(UrlParam(V1.HashType.MapBased, Server("a", 1, maxconn: 1), Server("b", 2, maxconn: 1)));
        var input = new BalanceInput(null, "/x?id=7", null);
        var held = backend.Balancer.Pick(input, default)!;

        // HAProxy would queue the request on its server; without a queue the pick fails rather than break affinity.
        Assert.Null(backend.Balancer.Pick(input, default));
        held.Release();
        Assert.Same(held, backend.Balancer.Pick(input, default));
    }

    [Fact]
    public void Consistent_Redispatch_MovesToAnotherServer_MapBased_KeepsTheSame()
    {
        var input = new BalanceInput(null, "/x?id=7", null);
        var consistent = Build(UrlParam(V1.HashType.Consistent, Server("a", 1), Server("b", 2), Server("c", 3)));
        var mapBased = Build(UrlParam(V1.HashType.MapBased, Server("a", 1), Server("b", 2), Server("c", 3)));
        foreach (var (backend, moves) in new[] { (consistent, true), (mapBased, false) })
        {
            var first = backend.Balancer.Pick(input, default)!;
            first.Release();
            var exclude = default(ServerExclusions);
            exclude.Add(first);

            var retry = backend.Balancer.Pick(input, exclude)!;

            Assert.Equal(moves, !ReferenceEquals(first, retry));
            retry.Release();
        }
    }

    [Fact]
    public void Source_UsesTheClientAddress()
    {
        var backend = Backend("app", Server("a", 1), Server("b", 2), Server("c", 3));
        backend.Balance = V1.Balance.Source;
        var runtime = Build(backend);

        // Map-based, three servers of weight 1: 127.0.0.x hashes to 0x7F00000x, modulo 3.
        Assert.Equal("c", PickSequence(runtime, 1, new BalanceInput(IPAddress.Parse("127.0.0.1"), null, null)));
        Assert.Equal("a", PickSequence(runtime, 1, new BalanceInput(IPAddress.Parse("127.0.0.2"), null, null)));
        Assert.Equal("b", PickSequence(runtime, 1, new BalanceInput(IPAddress.Parse("127.0.0.3"), null, null)));
    }

    [Fact]
    public void Hdr_UsesTheHeader()
    {
        var backend = Backend("app", Server("a", 1), Server("b", 2), Server("c", 3));
        backend.Balance = V1.Balance.Hdr;
        backend.BalanceParam = "X-User";
        var runtime = Build(backend);
        var chosen = new HashSet<string>();

        for (var user = 0; user < 20; user++)
        {
            var input = new BalanceInput(null, "/", new HeaderDictionary { ["X-User"] = $"user{user}" });
            var first = PickSequence(runtime, 1, input);
            Assert.Equal(first, PickSequence(runtime, 1, input));
            chosen.Add(first);
        }

        Assert.True(chosen.Count > 1);
    }
}
