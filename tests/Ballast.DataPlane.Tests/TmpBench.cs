using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests;

public class TmpBench
{
    [Fact]
    public async Task Bench()
    {
        if (Environment.GetEnvironmentVariable("BALLAST_BENCH") != "1")
        {
            return;
        }

        await using var node = TestNode.Create();
        var frontend = Frontend("f", "b", 20082);
        frontend.Mode = V1.Mode.Tcp;
        var backend = Backend("b", Server("n", 20080));
        backend.Mode = V1.Mode.Tcp;
        var http = Frontend("h", "bh", 20083);
        var result = await node.Engine.ApplyAsync(1, NewConfig([frontend, http], [backend, Backend("bh", Server("n", 20080))]), CancellationToken.None);
        Assert.True(result.Applied, result.Error);
        await File.WriteAllTextAsync("/tmp/bench/ready", "1");
        await Task.Delay(TimeSpan.FromSeconds(90));
    }
}
