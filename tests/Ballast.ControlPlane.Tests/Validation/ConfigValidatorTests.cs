using Ballast.ControlPlane.Validation;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Tests.Validation;

public sealed class ConfigValidatorTests
{
    private static Config ValidConfig() => new()
    {
        Frontends =
        {
            new Frontend { Name = "web", Mode = Mode.Http, DefaultBackend = "app", Binds = { new Bind { Address = "127.0.0.1", Port = 8080 } } },
        },
        Backends =
        {
            new Backend
            {
                Name = "app",
                HealthCheck = new HealthCheck { Type = HealthCheckType.HealthCheckHttp, HttpMethod = "GET", HttpPath = "/health" },
                Servers =
                {
                    new Server { Name = "s1", Address = "127.0.0.1", Port = 8081, Weight = 1, Check = true },
                    new Server { Name = "s2", Address = "app-2.internal", Port = 8082 },
                },
            },
        },
    };

    private static IReadOnlyList<string> Errors(Config config) => ConfigValidator.ValidateConfig(config).Select(e => e.ToString()).ToArray();

    private static void AssertSingleError(Config config, string expected) => Assert.Equal([expected], Errors(config));

    [Fact]
    public void ValidConfig_HasNoErrors() => Assert.Empty(Errors(ValidConfig()));

    [Fact]
    public void EmptyConfig_IsValid() => Assert.Empty(Errors(new Config()));

    [Fact]
    public void ServerPortZero_NamesBackendServerAndField()
    {
        var config = ValidConfig();
        config.Backends[0].Servers[0].Port = 0;
        var error = Assert.Single(ConfigValidator.ValidateConfig(config));
        Assert.Equal("backend 'app' server 's1'", error.Object);
        Assert.Equal("port", error.Field);
        Assert.Equal("must be 1-65535 (got 0)", error.Message);
        Assert.Equal("backend 'app' server 's1': port: must be 1-65535 (got 0)", error.ToString());
    }

    [Fact]
    public void ServerPortAbove65535_IsRejected()
    {
        var config = ValidConfig();
        config.Backends[0].Servers[0].Port = 70000;
        AssertSingleError(config, "backend 'app' server 's1': port: must be 1-65535 (got 70000)");
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(256u)]
    public void WeightWithinRange_IsAccepted(uint weight)
    {
        var config = ValidConfig();
        config.Backends[0].Servers[0].Weight = weight;
        Assert.Empty(Errors(config));
    }

    [Fact]
    public void WeightAbove256_IsRejected()
    {
        var config = ValidConfig();
        config.Backends[0].Servers[0].Weight = 300;
        AssertSingleError(config, "backend 'app' server 's1': weight: must be 0-256 (got 300)");
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/name")]
    [InlineData("é")]
    public void InvalidBackendName_IsRejected(string name)
    {
        var config = new Config { Backends = { new Backend { Name = name } } };
        var error = Assert.Single(ConfigValidator.ValidateConfig(config));
        Assert.Equal("name", error.Field);
        Assert.StartsWith("backend ", error.Object);
    }

    [Fact]
    public void NameOf65Characters_IsRejected_And64Accepted()
    {
        Assert.Empty(Errors(new Config { Backends = { new Backend { Name = new string('a', 64) } } }));
        var error = Assert.Single(ConfigValidator.ValidateConfig(new Config { Backends = { new Backend { Name = new string('a', 65) } } }));
        Assert.Equal("name", error.Field);
    }

    [Fact]
    public void NameWithAllowedPunctuation_IsAccepted() =>
        Assert.Empty(Errors(new Config { Backends = { new Backend { Name = "a_b.c:d-e9" } } }));

    [Fact]
    public void EmptyName_IsNamedByPosition() =>
        AssertSingleError(new Config { Backends = { new Backend { Name = "x" }, new Backend { Name = "" } } }, "backend #2: name: must not be empty");

    [Fact]
    public void DuplicateBackendNames_AreRejected() =>
        AssertSingleError(new Config { Backends = { new Backend { Name = "app" }, new Backend { Name = "app" } } }, "backend 'app': name: is used by more than one backend");

    [Fact]
    public void DuplicateFrontendNames_AreRejected()
    {
        var config = ValidConfig();
        config.Frontends.Add(new Frontend { Name = "web", DefaultBackend = "app", Binds = { new Bind { Address = "127.0.0.1", Port = 8090 } } });
        AssertSingleError(config, "frontend 'web': name: is used by more than one frontend");
    }

    [Fact]
    public void DuplicateServerNames_AreRejected()
    {
        var config = ValidConfig();
        config.Backends[0].Servers[1].Name = "s1";
        AssertSingleError(config, "backend 'app' server 's1': name: is used by more than one server of this backend");
    }

    [Fact]
    public void SameServerNameInTwoBackends_IsAccepted()
    {
        var config = ValidConfig();
        config.Backends.Add(new Backend { Name = "other", Servers = { new Server { Name = "s1", Address = "10.0.0.1", Port = 80 } } });
        Assert.Empty(Errors(config));
    }

    [Fact]
    public void MissingDefaultBackend_IsRejected()
    {
        var config = ValidConfig();
        config.Frontends[0].DefaultBackend = "nope";
        AssertSingleError(config, "frontend 'web': defaultBackend: backend 'nope' does not exist");
    }

    [Fact]
    public void EmptyDefaultBackend_IsRejected()
    {
        var config = ValidConfig();
        config.Frontends[0].DefaultBackend = "";
        var error = Assert.Single(ConfigValidator.ValidateConfig(config));
        Assert.Equal(("frontend 'web'", "defaultBackend"), (error.Object, error.Field));
    }

    [Fact]
    public void FrontendWithoutBinds_IsRejected()
    {
        var config = ValidConfig();
        config.Frontends[0].Binds.Clear();
        var error = Assert.Single(ConfigValidator.ValidateConfig(config));
        Assert.Equal(("frontend 'web'", "binds"), (error.Object, error.Field));
    }

    [Fact]
    public void BindPortZero_IsRejected()
    {
        var config = ValidConfig();
        config.Frontends[0].Binds[0].Port = 0;
        AssertSingleError(config, "frontend 'web': binds[0]: port must be 1-65535 (got 0)");
    }

    [Fact]
    public void BindWithHostName_IsRejected()
    {
        var config = ValidConfig();
        config.Frontends[0].Binds[0].Address = "example.com";
        AssertSingleError(config, "frontend 'web': binds[0]: address must be an IP literal or '*' (got 'example.com')");
    }

    [Fact]
    public void SameBindInTwoFrontends_IsRejected()
    {
        var config = ValidConfig();
        config.Frontends.Add(new Frontend { Name = "web2", DefaultBackend = "app", Binds = { new Bind { Address = "127.0.0.1", Port = 8080 } } });
        AssertSingleError(config, "frontend 'web2': binds[0]: '127.0.0.1:8080' overlaps '127.0.0.1:8080' of frontend 'web'");
    }

    [Fact]
    public void WildcardBindOverlappingSpecificAddress_IsRejected()
    {
        var config = ValidConfig();
        config.Frontends.Add(new Frontend { Name = "web2", DefaultBackend = "app", Binds = { new Bind { Address = "*", Port = 8080 } } });
        var error = Assert.Single(ConfigValidator.ValidateConfig(config));
        Assert.Equal(("frontend 'web2'", "binds[0]"), (error.Object, error.Field));
    }

    [Fact]
    public void DuplicateBindWithinOneFrontend_IsRejected()
    {
        var config = ValidConfig();
        config.Frontends[0].Binds.Add(new Bind { Address = "127.0.0.1", Port = 8080 });
        AssertSingleError(config, "frontend 'web': binds[1]: '127.0.0.1:8080' overlaps '127.0.0.1:8080' of another bind of this frontend");
    }

    [Fact]
    public void DifferentPortsOrAddresses_DoNotOverlap()
    {
        var config = ValidConfig();
        config.Frontends.Add(new Frontend { Name = "web2", DefaultBackend = "app", Binds = { new Bind { Address = "127.0.0.2", Port = 8080 }, new Bind { Address = "*", Port = 8081 } } });
        Assert.Empty(Errors(config));
    }

    [Fact]
    public void TcpMode_IsSupportedByNodes()
    {
        var config = ValidConfig();
        config.Backends[0].Mode = Mode.Tcp;
        config.Frontends[0].Mode = Mode.Tcp;
        config.Frontends[0].TimeoutClientMs = 30_000;
        config.Backends[0].TimeoutConnectMs = 2_000;
        config.Backends[0].TimeoutServerMs = 30_000;
        Assert.Empty(Errors(config));
    }

    [Theory]
    [InlineData(Balance.Roundrobin)]
    [InlineData(Balance.StaticRr)]
    [InlineData(Balance.Leastconn)]
    [InlineData(Balance.First)]
    [InlineData(Balance.Source)]
    [InlineData(Balance.Uri)]
    [InlineData(Balance.Random)]
    public void EveryBalanceAlgorithm_IsSupportedByNodes(Balance balance)
    {
        var config = ValidConfig();
        config.Backends[0].Balance = balance;
        config.Backends[0].HashType = HashType.Consistent;
        config.Backends[0].HashFunction = HashFunction.Crc32;
        config.Backends[0].HashAvalanche = true;
        Assert.Empty(Errors(config));
    }

    [Theory]
    [InlineData(Balance.UrlParam, "userid")]
    [InlineData(Balance.Hdr, "host")]
    public void UrlParamAndHdr_WithAName_AreSupportedByNodes(Balance balance, string param)
    {
        var config = ValidConfig();
        config.Backends[0].Balance = balance;
        config.Backends[0].BalanceParam = param;
        config.Backends[0].HdrUseDomainOnly = balance == Balance.Hdr;
        Assert.Empty(Errors(config));
    }

    [Fact]
    public void UriOptions_AreAccepted()
    {
        var config = ValidConfig();
        config.Backends[0].Balance = Balance.Uri;
        config.Backends[0].UriLen = 10;
        config.Backends[0].UriDepth = 2;
        config.Backends[0].UriPathOnly = true;
        config.Backends[0].UriWhole = true;
        Assert.Empty(Errors(config));
    }

    [Theory]
    [InlineData(Balance.UrlParam, "", "must name the query parameter to hash for balance url_param, e.g. \"userid\"")]
    [InlineData(Balance.UrlParam, "a b", "must be a query parameter name without spaces, '&', '=', '?' or '#' (got 'a b')")]
    [InlineData(Balance.Hdr, "", "must name the header to hash for balance hdr, e.g. \"host\"")]
    [InlineData(Balance.Hdr, "x:y", "must be a header name token (got 'x:y')")]
    [InlineData(Balance.Source, "x", "applies only to balance url_param and hdr (balance is 'source')")]
    public void BalanceParam_Rules_NameObjectAndField(Balance balance, string param, string message)
    {
        var config = ValidConfig();
        config.Backends[0].Balance = balance;
        config.Backends[0].BalanceParam = param;
        var error = Assert.Single(ConfigValidator.ValidateConfig(config));
        Assert.Equal(("backend 'app'", "balanceParam", message), (error.Object, error.Field, error.Message));
    }

    [Fact]
    public void OptionsOfAnotherAlgorithm_AreRejectedPerField()
    {
        var config = ValidConfig();
        config.Backends[0].Balance = Balance.Leastconn;
        config.Backends[0].UriLen = 5;
        config.Backends[0].UriWhole = true;
        config.Backends[0].HdrUseDomainOnly = true;
        config.Backends[0].RandomDraws = 3;
        Assert.Equal(
        [
            "backend 'app': uriLen: applies only to balance uri (balance is 'leastconn')",
            "backend 'app': uriWhole: applies only to balance uri (balance is 'leastconn')",
            "backend 'app': hdrUseDomainOnly: applies only to balance hdr (balance is 'leastconn')",
            "backend 'app': randomDraws: applies only to balance random (balance is 'leastconn')",
        ], Errors(config));
    }

    [Fact]
    public void RandomDraws_AboveTheLimit_IsRejected()
    {
        var config = ValidConfig();
        config.Backends[0].Balance = Balance.Random;
        config.Backends[0].RandomDraws = 101;
        AssertSingleError(config, "backend 'app': randomDraws: must be 0 (default 2) or 1-100 (got 101)");
    }

    [Theory]
    [InlineData(Balance.Uri, "uri")]
    [InlineData(Balance.UrlParam, "url_param")]
    [InlineData(Balance.Hdr, "hdr")]
    public void Layer7Balance_InModeTcp_IsRejected(Balance balance, string word)
    {
        var config = ValidConfig();
        config.Frontends[0].Mode = Mode.Tcp;
        config.Backends[0].Mode = Mode.Tcp;
        config.Backends[0].Balance = balance;
        config.Backends[0].BalanceParam = balance == Balance.Uri ? string.Empty : "x";
        AssertSingleError(config, $"backend 'app': balance: '{word}' hashes HTTP requests and needs mode http (the backend is mode tcp)");
    }

    [Fact]
    public void UnknownHashTypeOrFunction_IsRejected()
    {
        var config = ValidConfig();
        config.Backends[0].HashType = (HashType)9;
        config.Backends[0].HashFunction = (HashFunction)9;
        var errors = Errors(config);
        Assert.Contains("backend 'app': hashType: unknown hash type 9", errors);
        Assert.Contains("backend 'app': hashFunction: unknown hash function 9", errors);
    }

    [Fact]
    public void Timeouts_AboveTheLimit_AreRejected()
    {
        var config = ValidConfig();
        config.Frontends[0].TimeoutClientMs = 3_000_000_000;
        config.Backends[0].TimeoutConnectMs = 3_000_000_000;
        config.Backends[0].TimeoutServerMs = 3_000_000_000;
        var errors = Errors(config);
        Assert.Contains("frontend 'web': timeoutClientMs: must be 0 (default 50000 ms) or 1-2147483647 (got 3000000000)", errors);
        Assert.Contains("backend 'app': timeoutConnectMs: must be 0 (default 5000 ms) or 1-2147483647 (got 3000000000)", errors);
        Assert.Contains("backend 'app': timeoutServerMs: must be 0 (default 50000 ms) or 1-2147483647 (got 3000000000)", errors);
    }

    [Fact]
    public void ServerIds_MustBeUniqueAndInRange()
    {
        var config = ValidConfig();
        config.Backends[0].Servers[0].Id = 4;
        config.Backends[0].Servers[1].Id = 4;
        config.Backends[0].Servers.Add(new Server { Name = "s3", Address = "127.0.0.1", Port = 8083, Id = 3_000_000_000 });
        Assert.Equal(
        [
            "backend 'app' server 's2': id: 4 is already the id of server 's1'",
            "backend 'app' server 's3': id: must be 0 (automatic) or 1-2147483647 (got 3000000000)",
        ], Errors(config));
    }

    [Fact]
    public void StaticRr_IsSupportedByNodes()
    {
        var config = ValidConfig();
        config.Backends[0].Balance = Balance.StaticRr;
        Assert.Empty(Errors(config));
    }

    [Fact]
    public void MaxconnAboveInt32_IsRejected()
    {
        var config = ValidConfig();
        config.Backends[0].Servers[0].Maxconn = uint.MaxValue;
        config.Frontends[0].Maxconn = 3_000_000_000;
        var errors = ConfigValidator.ValidateConfig(config).Select(e => (e.Object, e.Field)).ToArray();
        Assert.Equal([("backend 'app' server 's1'", "maxconn"), ("frontend 'web'", "maxconn")], errors);
    }

    [Fact]
    public void FrontendAndDefaultBackendWithDifferentModes_AreRejected()
    {
        var config = ValidConfig();
        config.Backends[0].Mode = Mode.Tcp;
        var errors = Errors(config);
        Assert.Contains("frontend 'web': defaultBackend: backend 'app' is mode tcp but the frontend is mode http", errors);
    }

    [Theory]
    [InlineData(50u, "healthCheck.interMs")]
    [InlineData(3_600_001u, "healthCheck.interMs")]
    public void HealthCheckIntervalOutOfRange_IsRejected(uint inter, string field)
    {
        var config = ValidConfig();
        config.Backends[0].HealthCheck.InterMs = inter;
        var error = Assert.Single(ConfigValidator.ValidateConfig(config));
        Assert.Equal(("backend 'app'", field), (error.Object, error.Field));
        Assert.Equal($"must be 0 (default 2000 ms) or 100-3600000 (got {inter})", error.Message);
    }

    [Fact]
    public void HealthCheckZeroValues_MeanHaproxyDefaults()
    {
        var config = ValidConfig();
        config.Backends[0].HealthCheck = new HealthCheck { Type = HealthCheckType.HealthCheckTcp };
        Assert.Empty(Errors(config));
    }

    [Fact]
    public void HealthCheckRiseFallTimeoutOutOfRange_AreRejected()
    {
        var config = ValidConfig();
        config.Backends[0].HealthCheck.Rise = 101;
        config.Backends[0].HealthCheck.Fall = 1000;
        config.Backends[0].HealthCheck.TimeoutMs = 4_000_000;
        var fields = ConfigValidator.ValidateConfig(config).Select(e => e.Field).ToArray();
        Assert.Equal(["healthCheck.timeoutMs", "healthCheck.rise", "healthCheck.fall"], fields);
    }

    [Fact]
    public void HealthCheckPathWithoutSlash_IsRejected()
    {
        var config = ValidConfig();
        config.Backends[0].HealthCheck.HttpPath = "health";
        AssertSingleError(config, "backend 'app': healthCheck.path: must start with '/' and contain no spaces or control characters (got 'health')");
    }

    [Theory]
    [InlineData("GE T")]
    [InlineData("GET/")]
    [InlineData("(GET)")]
    public void HealthCheckMethodNotAToken_IsRejected(string method)
    {
        var config = ValidConfig();
        config.Backends[0].HealthCheck.HttpMethod = method;
        var error = Assert.Single(ConfigValidator.ValidateConfig(config));
        Assert.Equal("healthCheck.method", error.Field);
    }

    [Fact]
    public void HealthCheckExpectStatusOutOfRange_IsRejected()
    {
        var config = ValidConfig();
        config.Backends[0].HealthCheck.ExpectStatus = 600;
        AssertSingleError(config, "backend 'app': healthCheck.expectStatus: must be 0 (any 2xx/3xx) or 100-599 (got 600)");
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad host!")]
    [InlineData("-leading-dash")]
    public void InvalidServerAddress_IsRejected(string address)
    {
        var config = ValidConfig();
        config.Backends[0].Servers[0].Address = address;
        var error = Assert.Single(ConfigValidator.ValidateConfig(config));
        Assert.Equal(("backend 'app' server 's1'", "address"), (error.Object, error.Field));
    }

    [Theory]
    [InlineData("::1")]
    [InlineData("10.1.2.3")]
    [InlineData("backend.svc.cluster.local")]
    public void ServerAddressIpOrHostName_IsAccepted(string address)
    {
        var config = ValidConfig();
        config.Backends[0].Servers[0].Address = address;
        Assert.Empty(Errors(config));
    }

    [Fact]
    public void AllErrorsAreReported_NotOnlyTheFirst()
    {
        var config = ValidConfig();
        config.Backends[0].Servers[0].Port = 0;
        config.Backends[0].Servers[1].Weight = 999;
        config.Frontends[0].DefaultBackend = "missing";
        Assert.Equal(3, ConfigValidator.ValidateConfig(config).Count);
    }
}
