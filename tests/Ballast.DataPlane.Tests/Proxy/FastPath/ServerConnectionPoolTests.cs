using System.IO.Pipelines;
using Ballast.DataPlane.Proxy.FastPath;
using Ballast.DataPlane.Tests.LoadBalancing;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging.Abstractions;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Proxy.FastPath;

/// <summary>The fast path's idle server connections: newest first, quiet ones only, one set per pool.</summary>
public sealed class ServerConnectionPoolTests
{
    [Fact]
    public void TryRent_GivesTheNewestIdleConnectionFirst()
    {
        var server = BalancerTestKit.Build(V1.Balance.Roundrobin, Server("a", 1)).Servers[0];
        using var pool = new ServerConnectionPool(BalancerTestKit.Time, NullLogger.Instance);
        var (older, newer) = (Idle("older"), Idle("newer"));

        pool.Return(server, older);
        pool.Return(server, newer);

        Assert.Same(newer, pool.TryRent(server));
        Assert.Same(older, pool.TryRent(server));
        Assert.Null(pool.TryRent(server));
    }

    [Fact]
    public async Task TryRent_SkipsAConnectionWithUnreadBytes()
    {
        var server = BalancerTestKit.Build(V1.Balance.Roundrobin, Server("a", 1)).Servers[0];
        using var pool = new ServerConnectionPool(BalancerTestKit.Time, NullLogger.Instance);
        var quiet = Idle("quiet");
        var (noisy, toNoisy) = IdleWithApplication("noisy");
        pool.Return(server, quiet);
        pool.Return(server, noisy);

        await toNoisy.Output.WriteAsync("HTTP/1.1 408 Request Timeout\r\n\r\n"u8.ToArray()); // the server spoke unasked

        Assert.Same(quiet, pool.TryRent(server));
        Assert.Equal(0, pool.IdleCount(server));
    }

    [Fact]
    public void TwoPools_OfOneServer_KeepTheirOwnIdleConnections()
    {
        var server = BalancerTestKit.Build(V1.Balance.Roundrobin, Server("a", 1)).Servers[0];
        using var first = new ServerConnectionPool(BalancerTestKit.Time, NullLogger.Instance);
        using var second = new ServerConnectionPool(BalancerTestKit.Time, NullLogger.Instance);
        var (ofFirst, ofSecond) = (Idle("first"), Idle("second"));

        first.Return(server, ofFirst); // the first pool takes the server's slot, the second its own table
        second.Return(server, ofSecond);

        Assert.Equal(1, first.IdleCount(server));
        Assert.Equal(1, second.IdleCount(server));
        Assert.Same(ofSecond, second.TryRent(server));
        Assert.Same(ofFirst, first.TryRent(server));
    }

    private static ConnectionContext Idle(string id) => IdleWithApplication(id).Connection;

    /// <summary>A connection whose transport is a pair of pipes; the application side plays the server.</summary>
    private static (ConnectionContext Connection, IDuplexPipe Application) IdleWithApplication(string id)
    {
        var (input, output) = (new Pipe(), new Pipe());
        var transport = new DuplexPipe(input.Reader, output.Writer);
        var application = new DuplexPipe(output.Reader, input.Writer);
        return (new DefaultConnectionContext(id, transport, application), application);
    }

    private sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
