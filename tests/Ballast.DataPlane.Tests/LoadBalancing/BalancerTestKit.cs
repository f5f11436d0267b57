using Ballast.DataPlane.Config;
using Ballast.DataPlane.LoadBalancing;
using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.LoadBalancing;

/// <summary>Builds backend runtimes as the node does and runs pick sequences.</summary>
internal static class BalancerTestKit
{
    public static readonly ManualTimeProvider Time = new();

    public static BackendRuntime Build(V1.Backend backend, RuntimeModel? previous = null) =>
        RuntimeModelBuilder.Build(1, NewConfig([], [backend]), previous ?? RuntimeModel.Empty, Time).Backends[0];

    public static BackendRuntime Build(V1.Balance balance, params V1.Server[] servers)
    {
        var backend = Backend("app", servers);
        backend.Balance = balance;
        return Build(backend);
    }

    public static RuntimeModel ModelOf(BackendRuntime backend) => new(1, new V1.Config(), [], [backend]);

    /// <summary>Picks and releases at once <paramref name="count"/> times (sequential, short requests).</summary>
    public static string PickSequence(BackendRuntime backend, int count, BalanceInput input = default)
    {
        var names = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var server = backend.Balancer.Pick(input, default);
            names.Add(server?.Name ?? "-");
            server?.Release();
        }

        return string.Join(" ", names);
    }

    /// <summary>Picks <paramref name="count"/> times without releasing (long sessions).</summary>
    public static List<ServerRuntime> Hold(BackendRuntime backend, int count)
    {
        var held = new List<ServerRuntime>();
        for (var i = 0; i < count; i++)
        {
            held.Add(backend.Balancer.Pick() ?? throw new InvalidOperationException("no server"));
        }

        return held;
    }

    public static string Names(IEnumerable<ServerRuntime> servers) => string.Join(" ", servers.Select(s => s.Name));
}
