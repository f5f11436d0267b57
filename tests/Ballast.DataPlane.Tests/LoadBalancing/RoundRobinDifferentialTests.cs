using System.Net.Sockets;
using System.Text;
using Ballast.DataPlane.Config;
using Ballast.DataPlane.Runtime;
using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.LoadBalancing;

/// <summary>
/// Differential tests of <c>balance roundrobin</c>: the same backends in Debian's HAProxy 2.6 and in the node, the
/// same sequential requests to both; the sequence of servers reached must be identical, request by request
/// (HAProxy's fast weighted round robin, src/lb_fwrr.c).
/// </summary>
public sealed class RoundRobinDifferentialTests(DifferentialServers servers) : IClassFixture<DifferentialServers>, IAsyncLifetime
{
    private const int Requests = 200;

    private TestNode _node = null!;

    public Task InitializeAsync()
    {
        _node = TestNode.Create();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Roundrobin_WeightSets_SameSequenceAsHaproxy()
    {
        var scenarios = new List<V1.Backend>
        {
            Rr("rr_equal", [1, 1, 1]),
            Rr("rr_default", [null, null, null, null]),
            Rr("rr_321", [3, 2, 1]),
            Rr("rr_10_1", [10, 1]),
            Rr("rr_256_1_7", [256, 1, 7]),
            Rr("rr_zero", [0, 2, 3, 0, 5]),
            Rr("rr_mixed", [5, 1, 3, 2, 4]),
            Rr("rr_big", [256, 255, 128, 3, 1]),
            Rr("rr_primes", [7, 11, 13, 17, 19]),
        };
        var maint = Rr("rr_maint", [2, 3, 4]);
        maint.Servers[1].State = V1.ServerState.Maint;
        scenarios.Add(maint); // DRAIN has no configuration keyword in HAProxy 2.6: see the runtime test

        await AssertSameSequencesAsync(scenarios);
    }

    [Fact]
    public async Task Roundrobin_BackupServers_SameSequenceAsHaproxy()
    {
        // Actives usable: backups unused. Actives all down: the first backup only, or all of them with allbackups.
        var withActives = Rr("bk_actives", [2, 3, 1, 4]);
        withActives.Servers[2].Backup = true;
        withActives.Servers[3].Backup = true;
        var firstBackup = Rr("bk_first", [2, 3, 1, 4]);
        firstBackup.Servers[0].State = V1.ServerState.Maint;
        firstBackup.Servers[1].Weight = 0;
        firstBackup.Servers[2].Backup = true;
        firstBackup.Servers[3].Backup = true;
        var allBackups = Rr("bk_all", [2, 3, 1, 4, 3]);
        allBackups.Allbackups = true;
        allBackups.Servers[0].State = V1.ServerState.Maint;
        for (var i = 1; i < 5; i++)
        {
            allBackups.Servers[i].Backup = true;
        }

        await AssertSameSequencesAsync([withActives, firstBackup, allBackups]);
    }

    [Fact]
    public async Task Roundrobin_RuntimeStateAndWeightChanges_SameSequenceAsHaproxy()
    {
        // Between batches, the same runtime change is made in both: HAProxy through its admin socket
        // (set server ... state|weight), the node through its runtime overrides. Positions must stay in step.
        var backend = Rr("rt", [3, 2, 5, 1]);
        var steps = new (int Before, string Command, int Server, ServerOverride? Override)[]
        {
            (37, "state maint", 1, new ServerOverride(AdminState.Maint, null)),
            (23, "state ready", 1, null),
            (41, "weight 9", 0, new ServerOverride(null, 9)),
            (17, "weight 0", 2, new ServerOverride(null, 0)),
            (29, "state drain", 3, new ServerOverride(AdminState.Drain, null)),
            (31, "weight 5", 2, null),
            (13, "state ready", 3, null),
            (19, "weight 1", 0, new ServerOverride(null, 1)),
            (11, "state maint", 0, new ServerOverride(AdminState.Maint, 1)),
        };

        var haproxyPort = Ports.GetFreePort();
        var nodePort = Ports.GetFreePort();
        var result = await _node.Engine.ApplyAsync(1, NewConfig([Frontend("f_rt", "rt", nodePort)], [backend]), CancellationToken.None);
        Assert.True(result.Applied, result.Error);
        var socketDirectory = Directory.CreateTempSubdirectory("ballast-rr-");
        var socket = Path.Combine(socketDirectory.FullName, "admin.sock");
        try
        {
            await using var haproxy = await HaproxyProcess.StartAsync(HaproxyConfigText.Build([(haproxyPort, backend)], statsSocket: socket), [haproxyPort]);
            var expected = new List<string>();
            var actual = new List<string>();
            var nodeServers = _node.Engine.Current.BackendsByName["rt"].Servers;
            foreach (var (before, command, index, change) in steps)
            {
                await RunAsync(haproxyPort, nodePort, before, expected, actual);
                var reply = await AdminCommandAsync(socket, $"set server rt/{backend.Servers[index].Name} {command}");
                Assert.True(reply.Trim().Length == 0, $"HAProxy refused '{command}': {reply}");
                nodeServers[index].State.Override = change;
                expected.Add("|" + command);
                actual.Add("|" + command);
            }

            await RunAsync(haproxyPort, nodePort, 60, expected, actual);
            Assert.True(
                expected.SequenceEqual(actual),
                $"sequences differ ({HaproxyProcess.Version()}):\nhaproxy: {string.Join(" ", expected)}\nballast: {string.Join(" ", actual)}\n{haproxy.Output}");
        }
        finally
        {
            socketDirectory.Delete(recursive: true);
        }
    }

    private V1.Backend Rr(string name, uint?[] weights)
    {
        var backend = Backend(name, weights.Select((w, i) => Server(servers.Servers[i].Name, servers.Servers[i].Port, weight: w)).ToArray());
        backend.Balance = V1.Balance.Roundrobin;
        return backend;
    }

    private static async Task RunAsync(int haproxyPort, int nodePort, int count, List<string> expected, List<string> actual)
    {
        for (var i = 0; i < count; i++)
        {
            expected.Add(Outcome(await RawHttp.GetAsync(haproxyPort, "/")));
            actual.Add(Outcome(await RawHttp.GetAsync(nodePort, "/")));
        }
    }

    private async Task AssertSameSequencesAsync(IReadOnlyList<V1.Backend> backends)
    {
        var sections = backends.Select(b => (Haproxy: Ports.GetFreePort(), Node: Ports.GetFreePort(), Backend: b)).ToList();
        var config = NewConfig(sections.Select(s => Frontend("f_" + s.Backend.Name, s.Backend.Name, s.Node)), backends);
        var result = await _node.Engine.ApplyAsync(1, config, CancellationToken.None);
        Assert.True(result.Applied, result.Error);
        await using var haproxy = await HaproxyProcess.StartAsync(HaproxyConfigText.Build(sections.Select(s => (s.Haproxy, s.Backend))), sections.Select(s => s.Haproxy).ToList());

        var failures = new List<string>();
        foreach (var (haproxyPort, nodePort, backend) in sections)
        {
            var expected = new List<string>();
            var actual = new List<string>();
            await RunAsync(haproxyPort, nodePort, Requests, expected, actual);
            if (expected.Any(e => !e.StartsWith('s')))
            {
                failures.Add($"{backend.Name}: HAProxy did not serve every request: {string.Join(" ", expected.Distinct())}");
            }

            if (!expected.SequenceEqual(actual))
            {
                var first = expected.Zip(actual).TakeWhile(p => p.First == p.Second).Count();
                failures.Add($"{backend.Name}: first difference at request {first}\n  haproxy: {string.Join(" ", expected)}\n  ballast: {string.Join(" ", actual)}");
            }
        }

        Assert.True(failures.Count == 0, $"({HaproxyProcess.Version()})\n" + string.Join("\n", failures));
    }

    /// <summary>The server name of a served request ("s3"), else the status code.</summary>
    private static string Outcome(string response) => response.StartsWith("200 ", StringComparison.Ordinal) ? response[4..].Trim() : response[..3];

    private static async Task<string> AdminCommandAsync(string socketPath, string command)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        await socket.SendAsync(Encoding.ASCII.GetBytes(command + "\n"), SocketFlags.None);
        var reply = new StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            reply.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return reply.ToString();
    }
}
