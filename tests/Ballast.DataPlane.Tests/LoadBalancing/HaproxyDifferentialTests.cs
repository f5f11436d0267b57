using System.Globalization;
using System.Net;
using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.LoadBalancing;

/// <summary>Five real backends (s1..s5) answering their own name, shared by the differential tests.</summary>
public sealed class DifferentialServers : IAsyncLifetime
{
    public List<TestBackend> Servers { get; } = [];

    public async Task InitializeAsync()
    {
        for (var i = 1; i <= 5; i++)
        {
            Servers.Add(await TestBackend.StartAsync($"s{i}"));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var server in Servers)
        {
            await server.DisposeAsync();
        }
    }
}

/// <summary>
/// Differential tests: the same configuration runs in Debian's HAProxy 2.6 and in the node, the same requests go to
/// both, and the server each one reaches (the backends answer their name) must be the same. Every scenario of a test
/// is one frontend/backend pair of one HAProxy process and one snapshot. Requests are sent one at a time, in the
/// same order to both, so the round-robin fallbacks (missing hash keys, static-rr) start from the same position.
/// </summary>
public sealed class HaproxyDifferentialTests(DifferentialServers servers) : IClassFixture<DifferentialServers>, IAsyncLifetime
{
    private static readonly (V1.HashType Type, V1.HashFunction Function, bool Avalanche)[] HashConfigs =
    [
        (V1.HashType.MapBased, V1.HashFunction.Default, false),
        (V1.HashType.MapBased, V1.HashFunction.Sdbm, true),
        (V1.HashType.MapBased, V1.HashFunction.Djb2, false),
        (V1.HashType.MapBased, V1.HashFunction.Djb2, true),
        (V1.HashType.MapBased, V1.HashFunction.Wt6, false),
        (V1.HashType.MapBased, V1.HashFunction.Crc32, false),
        (V1.HashType.Consistent, V1.HashFunction.Default, false),
        (V1.HashType.Consistent, V1.HashFunction.Sdbm, false),
        (V1.HashType.Consistent, V1.HashFunction.Djb2, true),
        (V1.HashType.Consistent, V1.HashFunction.Wt6, true),
        (V1.HashType.Consistent, V1.HashFunction.Crc32, false),
    ];

    /// <summary>Weights per server (null = unset, HAProxy's default 1), from 2 to 5 servers, equal and unequal.</summary>
    private static readonly uint?[][] WeightSets =
    [
        [null, null, null],
        [1, 2, 3],
        [5, 1, 3, 2, 4],
        [10, 3],
        [2, 4, 6, 8],
    ];

    private TestNode _node = null!;

    public Task InitializeAsync()
    {
        _node = TestNode.Create();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task UriHash_EveryHashTypeFunctionAndWeightSet_PicksSameServerAsHaproxy()
    {
        var requests = RandomUris(seed: 1, count: 40).Select(u => new Probe(u)).ToList();
        var scenarios = new List<Scenario>();
        foreach (var hash in HashConfigs)
        {
            for (var w = 0; w < WeightSets.Length; w++)
            {
                var backend = HashBackend($"uri_{Describe(hash)}_w{w}", V1.Balance.Uri, hash, WeightSets[w]);
                scenarios.Add(new Scenario(backend, requests));
            }
        }

        await AssertSameChoicesAsync(scenarios);
    }

    [Fact]
    public async Task UriHashOptions_LenDepthWholePathOnly_PickSameServerAsHaproxy()
    {
        var uris = RandomUris(seed: 2, count: 30).Concat(
        [
            "/", "/a", "/a/", "/a/b/c/d/e/f", "/abc?def/ghi", "/x//y///z", "/dir/file.txt?v=1&w=2",
        ]).Select(u => new Probe(u)).ToList();

        // Absolute-form request-targets (the Host header must match the authority, or both answer 400).
        uris.Add(new Probe("http://example.com/a/b/c?x=1", Host: "example.com"));
        uris.Add(new Probe("http://other.example.org:8080/a/b", Host: "other.example.org:8080"));
        uris.Add(new Probe("http://example.com/", Host: "example.com"));
        uris.Add(new Probe("http://example.com/q?http://x/y", Host: "example.com"));
        var options = new (string Name, Action<V1.Backend> Apply)[]
        {
            ("len3", b => b.UriLen = 3),
            ("len8", b => b.UriLen = 8),
            ("depth1", b => b.UriDepth = 1),
            ("depth2", b => b.UriDepth = 2),
            ("whole", b => b.UriWhole = true),
            ("pathonly", b => b.UriPathOnly = true),
            ("len8depth1", b => { b.UriLen = 8; b.UriDepth = 1; }),
            ("wholedepth3pathonly", b => { b.UriWhole = true; b.UriDepth = 3; b.UriPathOnly = true; }),
        };
        var scenarios = new List<Scenario>();
        foreach (var (name, apply) in options)
        {
            foreach (var hash in new[] { HashConfigs[0], HashConfigs[6], HashConfigs[9] })
            {
                var backend = HashBackend($"uri_{name}_{Describe(hash)}", V1.Balance.Uri, hash, WeightSets[2]);
                apply(backend);
                scenarios.Add(new Scenario(backend, uris));
            }
        }

        await AssertSameChoicesAsync(scenarios);
    }

    [Fact]
    public async Task UrlParamHash_PicksSameServerAsHaproxy_AndFallsBackToRoundRobinLikeIt()
    {
        var random = new Random(3);
        var targets = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            var value = random.Next(0, 4) switch
            {
                0 => random.Next(1, 100000).ToString(CultureInfo.InvariantCulture),
                1 => RandomWord(random, random.Next(1, 12)),
                2 => "user-" + random.Next(0, 50).ToString(CultureInfo.InvariantCulture) + "%40example.com",
                _ => RandomWord(random, 3) + "." + random.Next(0, 9).ToString(CultureInfo.InvariantCulture),
            };
            targets.Add(random.Next(0, 3) switch
            {
                0 => $"/?userid={value}",
                1 => $"/{RandomWord(random, 4)}?a=1&userid={value}&b=2",
                _ => $"/p?x={RandomWord(random, 2)}&userid={value}",
            });
        }

        // Keys missing or not matching exactly: HAProxy balances these round robin over the same map or ring.
        targets.AddRange(["/x", "/x?", "/x?user=1", "/x?useridx=5", "/x?UserId=5", "/x?userid", "/x?a=userid=3",
            "/x?userid=", "/x?userid=&userid=9", "/x?a=1&userid=9&userid=8", "/x?userid=42", "/y?userid=42"]);
        var probes = targets.Select(t => new Probe(t)).ToList();
        var scenarios = new List<Scenario>();
        foreach (var hash in HashConfigs)
        {
            foreach (var w in new[] { 1, 2, 3 })
            {
                var backend = HashBackend($"param_{Describe(hash)}_w{w}", V1.Balance.UrlParam, hash, WeightSets[w]);
                backend.BalanceParam = "userid";
                scenarios.Add(new Scenario(backend, probes));
            }
        }

        await AssertSameChoicesAsync(scenarios);
    }

    [Fact]
    public async Task HdrHash_WithAndWithoutUseDomainOnly_PicksSameServerAsHaproxy()
    {
        var random = new Random(4);
        var keyProbes = new List<Probe>();
        for (var i = 0; i < 30; i++)
        {
            keyProbes.Add(new Probe("/", [$"X-Key: {RandomWord(random, random.Next(1, 20))}"]));
        }

        keyProbes.AddRange(
        [
            new Probe("/", ["X-Key: a, b"]),
            new Probe("/", ["X-Key: \"q,uoted\", tail"]),
            new Probe("/", ["X-Key:    spaced   "]),
            new Probe("/", ["X-Key: first", "X-Key: second"]),
            new Probe("/", ["x-key: lower-case-name"]),
            new Probe("/", ["X-Key: , after-empty"]), // empty first value: round robin
            new Probe("/", ["X-Other: 1"]), // missing: round robin
            new Probe("/"),
        ]);
        var hosts = new[]
        {
            "haproxy.1wt.eu", "www.example.com", "example.com", "localhost", "a.b.c.d.e", "shop.example.co.uk",
            "api.internal", "x", "cdn1.static.example.net", "www.example.com:8080", "10.0.0.1", "foo.bar",
        };
        var hostProbes = hosts.Select(h => new Probe("/", Host: h)).ToList();
        var scenarios = new List<Scenario>();
        foreach (var hash in HashConfigs)
        {
            foreach (var w in new[] { 0, 2 })
            {
                var backend = HashBackend($"hdr_{Describe(hash)}_w{w}", V1.Balance.Hdr, hash, WeightSets[w]);
                backend.BalanceParam = "X-Key";
                scenarios.Add(new Scenario(backend, keyProbes));

                var domain = HashBackend($"host_{Describe(hash)}_w{w}", V1.Balance.Hdr, hash, WeightSets[w]);
                domain.BalanceParam = "host";
                domain.HdrUseDomainOnly = true;
                scenarios.Add(new Scenario(domain, hostProbes));
            }
        }

        await AssertSameChoicesAsync(scenarios);
    }

    [Fact]
    public async Task SourceHash_FromManyClientAddresses_PicksSameServerAsHaproxy()
    {
        var random = new Random(5);
        var probes = new List<Probe>();
        for (var i = 0; i < 40; i++)
        {
            var address = i < 10
                ? new IPAddress([127, 0, 0, (byte)(i + 1)])
                : new IPAddress([127, (byte)random.Next(0, 256), (byte)random.Next(0, 256), (byte)random.Next(1, 255)]);
            probes.Add(new Probe("/", From: address));
        }

        var scenarios = new List<Scenario>();
        foreach (var hash in HashConfigs)
        {
            for (var w = 0; w < WeightSets.Length; w++)
            {
                scenarios.Add(new Scenario(HashBackend($"src_{Describe(hash)}_w{w}", V1.Balance.Source, hash, WeightSets[w]), probes));
            }
        }

        await AssertSameChoicesAsync(scenarios);
    }

    [Fact]
    public async Task ConsistentHash_ExplicitAndMixedServerIds_PicksSameServerAsHaproxy()
    {
        var probes = RandomUris(seed: 6, count: 60).Select(u => new Probe(u)).ToList();
        var idSets = new (string Name, uint[] Ids, uint?[] Weights)[]
        {
            ("mixed", [0, 1, 0], [1, 1, 1]), // HAProxy assigns 2, 1 and 4
            ("spread", [10, 20, 30, 40], [1, 2, 1, 3]),
            ("reversed", [5, 4, 3, 2, 1], [null, null, null, null, null]),
            ("large", [1000, 7, 123456], [3, 1, 2]),
        };
        var scenarios = new List<Scenario>();
        foreach (var (name, ids, weights) in idSets)
        {
            foreach (var hash in new[] { HashConfigs[6], HashConfigs[7], HashConfigs[10] })
            {
                var backend = HashBackend($"ids_{name}_{Describe(hash)}", V1.Balance.Uri, hash, weights);
                for (var i = 0; i < ids.Length; i++)
                {
                    backend.Servers[i].Id = ids[i];
                }

                scenarios.Add(new Scenario(backend, probes));
            }
        }

        await AssertSameChoicesAsync(scenarios);
    }

    [Fact]
    public async Task Hashing_WithMaintenanceAndWeightZeroServers_PicksSameServerAsHaproxy()
    {
        var probes = RandomUris(seed: 7, count: 50).Select(u => new Probe(u)).ToList();
        var scenarios = new List<Scenario>();
        foreach (var hash in new[] { HashConfigs[0], HashConfigs[3], HashConfigs[6], HashConfigs[8] })
        {
            // s2 disabled (MAINT) and s4 at weight 0: both are left out of the map and ring; the others keep their ids.
            var backend = HashBackend($"down_{Describe(hash)}", V1.Balance.Uri, hash, [2, 3, 6, 0, 8]);
            backend.Servers[1].State = V1.ServerState.Maint;
            scenarios.Add(new Scenario(backend, probes));

            var staticRr = HashBackend($"down_srr_{Describe(hash)}", V1.Balance.StaticRr, (V1.HashType.MapBased, V1.HashFunction.Default, false), [3, 6, 2, 0, 8]);
            staticRr.Servers[0].State = V1.ServerState.Maint;
            scenarios.Add(new Scenario(staticRr, probes));
        }

        await AssertSameChoicesAsync(scenarios);
    }

    [Fact]
    public async Task SourceHash_ModeTcp_PicksSameServerAsHaproxyModeTcp()
    {
        var probes = Enumerable.Range(1, 30).Select(i => new Probe("/", From: new IPAddress([127, 0, (byte)(i * 7), (byte)i]))).ToList();
        var scenarios = new List<Scenario>();
        foreach (var hash in new[] { HashConfigs[0], HashConfigs[4], HashConfigs[6], HashConfigs[9] })
        {
            for (var w = 1; w < WeightSets.Length; w++)
            {
                var backend = HashBackend($"tcp_src_{Describe(hash)}_w{w}", V1.Balance.Source, hash, WeightSets[w]);
                backend.Mode = V1.Mode.Tcp;
                scenarios.Add(new Scenario(backend, probes));
            }
        }

        await AssertSameChoicesAsync(scenarios, V1.Mode.Tcp);
    }

    [Fact]
    public async Task StaticRr_RotationMatchesHaproxyMapOrder()
    {
        var probes = Enumerable.Range(0, 60).Select(i => new Probe($"/r{i}")).ToList();
        var scenarios = new List<Scenario>();
        for (var w = 0; w < WeightSets.Length; w++)
        {
            var backend = Backend($"srr_w{w}", Servers(WeightSets[w]));
            backend.Balance = V1.Balance.StaticRr;
            scenarios.Add(new Scenario(backend, probes));
        }

        await AssertSameChoicesAsync(scenarios);
    }

    private static string Describe((V1.HashType Type, V1.HashFunction Function, bool Avalanche) hash) =>
        (hash.Type == V1.HashType.Consistent ? "chash" : "map") + "_" + hash.Function.ToString().ToLowerInvariant() + (hash.Avalanche ? "_aval" : "");

    private static IEnumerable<string> RandomUris(int seed, int count)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var segments = random.Next(0, 6);
            var path = string.Concat(Enumerable.Range(0, segments).Select(_ => "/" + RandomWord(random, random.Next(1, 10))));
            if (path.Length == 0 || random.Next(0, 4) == 0)
            {
                path += "/";
            }

            if (random.Next(0, 3) == 0)
            {
                path += $"?{RandomWord(random, 3)}={random.Next(0, 1000)}&z={RandomWord(random, 5)}";
            }

            yield return path;
        }
    }

    private static string RandomWord(Random random, int length)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-._~";
        return new string(Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
    }

    private V1.Server[] Servers(uint?[] weights) =>
        weights.Select((w, i) => Server(servers.Servers[i].Name, servers.Servers[i].Port, weight: w)).ToArray();

    private V1.Backend HashBackend(string name, V1.Balance balance, (V1.HashType Type, V1.HashFunction Function, bool Avalanche) hash, uint?[] weights)
    {
        var backend = Backend(name, Servers(weights));
        backend.Balance = balance;
        backend.HashType = hash.Type;
        backend.HashFunction = hash.Function;
        backend.HashAvalanche = hash.Avalanche;
        return backend;
    }

    private async Task AssertSameChoicesAsync(IReadOnlyList<Scenario> scenarios, V1.Mode mode = V1.Mode.Http)
    {
        var sections = scenarios.Select(s => (Haproxy: Ports.GetFreePort(), Node: Ports.GetFreePort(), s.Backend)).ToList();
        var frontends = sections.Select(s => Frontend("f_" + s.Backend.Name, s.Backend.Name, s.Node)).ToList();
        frontends.ForEach(f => f.Mode = mode);
        var config = NewConfig(frontends, scenarios.Select(s => s.Backend));
        var result = await _node.Engine.ApplyAsync(1, config, CancellationToken.None);
        Assert.True(result.Applied, result.Error);
        var haproxyConfig = HaproxyConfigText.Build(sections.Select(s => (s.Haproxy, s.Backend)), mode);
        await using var haproxy = await HaproxyProcess.StartAsync(haproxyConfig, sections.Select(s => s.Haproxy).ToList());

        var mismatches = new List<string>();
        var compared = 0;
        for (var i = 0; i < scenarios.Count; i++)
        {
            var (haproxyPort, nodePort, backend) = sections[i];
            var chosen = new HashSet<string>();
            foreach (var probe in scenarios[i].Probes)
            {
                var expected = Outcome(await RawHttp.GetAsync(haproxyPort, probe.Target, probe.Headers, probe.From, probe.Host));
                var actual = Outcome(await RawHttp.GetAsync(nodePort, probe.Target, probe.Headers, probe.From, probe.Host));
                compared++;
                chosen.Add(expected);
                if (!expected.StartsWith("200 ", StringComparison.Ordinal))
                {
                    mismatches.Add($"{backend.Name}: {probe} -> HAProxy answered {expected}: the probe is not a valid request");
                }

                if (expected != actual)
                {
                    mismatches.Add($"{backend.Name}: {probe} -> haproxy '{expected}', ballast '{actual}'");
                }
            }

            // A scenario where HAProxy always picks one server proves nothing about the mapping (except source hashing
            // on the consistent ring without avalanche: 127.0.0.0/8 is 1/256 of the ring, where one server is expected).
            var narrow = backend.Balance == V1.Balance.Source && backend.HashType == V1.HashType.Consistent && !backend.HashAvalanche
                && backend.HashFunction != V1.HashFunction.Default;
            if (backend.Servers.Count > 1 && chosen.Count < 2 && !narrow)
            {
                mismatches.Add($"{backend.Name}: HAProxy picked only {string.Join(",", chosen)}; the probes do not exercise the mapping");
            }
        }

        Assert.True(
            mismatches.Count == 0,
            $"{mismatches.Count} of {compared} requests differ ({HaproxyProcess.Version()}):\n" + string.Join("\n", mismatches.Take(40)) + "\nHAProxy output:\n" + haproxy.Output);
    }

    /// <summary>"200 s3" for a served request; only the status otherwise (error pages differ in wording).</summary>
    private static string Outcome(string response) => response.StartsWith("200 ", StringComparison.Ordinal) ? response : response[..3];

    private sealed record Scenario(V1.Backend Backend, IReadOnlyList<Probe> Probes);

    private sealed record Probe(string Target, string[]? Headers = null, IPAddress? From = null, string Host = "localhost")
    {
        public override string ToString() =>
            $"GET {Target}" + (Headers is null ? "" : " [" + string.Join(" | ", Headers) + "]") + (From is null ? "" : $" from {From}") + (Host == "localhost" ? "" : $" Host: {Host}");
    }
}
