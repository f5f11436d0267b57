using Ballast.DataPlane.Tests.Agent;
using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Runtime;

/// <summary>A node receiving RuntimeUpdates over its control-plane stream, with real backends and traffic.</summary>
public sealed class RuntimeUpdateIntegrationTests : ProxyEngineTestBase
{
    private static V1.RuntimeUpdate Update(ulong revision, string server, V1.ServerState state)
    {
        var update = new V1.RuntimeUpdate { Revision = revision, Nonce = $"r{revision}" };
        update.Overrides.Add(new V1.ServerOverride { Backend = "app", Server = server, State = state });
        return update;
    }

    [Fact]
    public async Task DrainAtRuntime_NewRequestsStopGoingToTheServer_WithoutAVersionChange()
    {
        var s1 = await StartBackendAsync("s1");
        var s2 = await StartBackendAsync("s2");
        var port = Ports.GetFreePort();
        var config = NewConfig([Frontend("web", "app", port)], [Backend("app", Server("s1", s1.Port), Server("s2", s2.Port))]);
        var control = new FakeControlPlane();
        var agent = Node.CreateAgent(control);
        using var stop = new CancellationTokenSource();
        var run = agent.RunSessionAsync(stop.Token);
        var session = await control.NextSessionAsync();
        Assert.Equal(V1.NodeMessage.KindOneofCase.Hello, (await session.ReceiveAsync()).KindCase);
        session.Send(new V1.Snapshot { Version = 1, Nonce = "v1", Config = config });
        Assert.Equal(V1.NodeMessage.KindOneofCase.Ack, (await session.ReceiveAsync()).KindCase);

        for (var i = 0; i < 4; i++)
        {
            await GetAsync(port);
        }

        Assert.Equal((2, 2), (s1.Requests, s2.Requests));

        session.Send(Update(1, "s1", V1.ServerState.Drain));
        var ack = await session.ReceiveAsync();
        Assert.Equal(V1.NodeMessage.KindOneofCase.RuntimeAck, ack.KindCase);
        Assert.Equal((1ul, "r1"), (ack.RuntimeAck.Revision, ack.RuntimeAck.Nonce));
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal("200 s2", await GetAsync(port));
        }

        Assert.Equal(2, s1.Requests);
        Assert.Equal(1ul, Node.Engine.AppliedVersion);
        Assert.Equal("DRAIN", Row("app", "s1").Status);

        // A new version keeps the drain (the node keeps the override set, as HAProxy's server-state file).
        session.Send(new V1.Snapshot { Version = 2, Nonce = "v2", Config = config.Clone() });
        Assert.Equal(V1.NodeMessage.KindOneofCase.Ack, (await session.ReceiveAsync()).KindCase);
        Assert.Equal("200 s2", await GetAsync(port));
        Assert.Equal("200 s2", await GetAsync(port));
        Assert.Equal("DRAIN", Row("app", "s1").Status);

        // Back to ready: s1 takes traffic again.
        session.Send(new V1.RuntimeUpdate { Revision = 2, Nonce = "r2" });
        Assert.Equal(V1.NodeMessage.KindOneofCase.RuntimeAck, (await session.ReceiveAsync()).KindCase);
        for (var i = 0; i < 4; i++)
        {
            await GetAsync(port);
        }

        Assert.Equal(4, s1.Requests);
        Assert.Equal("no check", Row("app", "s1").Status);

        session.End();
        await stop.CancelAsync();
        await run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
    }

    [Fact]
    public async Task MaintAtRuntime_StopsChecks_AndAnInvalidUpdateIsNacked()
    {
        var s1 = await StartBackendAsync("s1");
        var port = Ports.GetFreePort();
        var backend = Backend("app", Server("s1", s1.Port, check: true)).WithHttpCheck(interMs: 60_000);
        var control = new FakeControlPlane();
        var agent = Node.CreateAgent(control);
        using var stop = new CancellationTokenSource();
        var run = agent.RunSessionAsync(stop.Token);
        var session = await control.NextSessionAsync();
        await session.ReceiveAsync();
        session.Send(new V1.Snapshot { Version = 1, Nonce = "v1", Config = NewConfig([Frontend("web", "app", port)], [backend]) });
        await session.ReceiveAsync();
        Assert.Equal(1, Node.Engine.Health.RunningLoops);

        session.Send(Update(1, "s1", V1.ServerState.Maint));
        Assert.Equal(V1.NodeMessage.KindOneofCase.RuntimeAck, (await session.ReceiveAsync()).KindCase);
        Assert.Equal(0, Node.Engine.Health.RunningLoops);
        Assert.Equal("MAINT", Row("app", "s1").Status);
        Assert.StartsWith("503", await GetAsync(port), StringComparison.Ordinal);

        var bad = new V1.RuntimeUpdate { Revision = 2, Nonce = "r2" };
        bad.Overrides.Add(new V1.ServerOverride { Backend = "app", Server = "s1", Weight = 300 });
        session.Send(bad);
        var nack = await session.ReceiveAsync();
        Assert.Equal(V1.NodeMessage.KindOneofCase.RuntimeNack, nack.KindCase);
        Assert.Equal(1ul, nack.RuntimeNack.AppliedRevision);
        Assert.Contains("weight", nack.RuntimeNack.ErrorDetail, StringComparison.Ordinal);
        Assert.Equal("MAINT", Row("app", "s1").Status);

        session.End();
        await stop.CancelAsync();
        await run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
    }
}
