using Ballast.DataPlane.Config;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Config;

public class SnapshotValidatorTests
{
    private static V1.Config Valid() => NewConfig(
        [Frontend("web", "app", 8080)],
        [Backend("app", Server("a", 9001), Server("b", 9002, weight: 256)).WithHttpCheck(1000)]);

    private static string Errors(V1.Config config) => string.Join("; ", SnapshotValidator.Validate(config));

    [Fact]
    public void Validate_ValidConfig_NoErrors()
    {
        Assert.Empty(SnapshotValidator.Validate(Valid()));
        Assert.Empty(SnapshotValidator.Validate(new V1.Config()));
    }

    [Fact]
    public void Validate_ModeTcp_Accepted()
    {
        var config = Valid();
        config.Frontends[0].Mode = V1.Mode.Tcp;
        config.Frontends[0].TimeoutClientMs = 30_000;
        config.Backends[0].Mode = V1.Mode.Tcp;
        config.Backends[0].TimeoutConnectMs = 2_000;
        config.Backends[0].TimeoutServerMs = 30_000;

        Assert.Empty(SnapshotValidator.Validate(config));
    }

    [Fact]
    public void Validate_FrontendAndDefaultBackendModesDiffer_Rejected()
    {
        var config = Valid();
        config.Frontends[0].Mode = V1.Mode.Tcp;

        Assert.Equal("frontend 'web': default_backend 'app' has mode http, frontend has mode tcp", Errors(config));
    }

    [Fact]
    public void Validate_UnknownMode_Rejected()
    {
        var config = Valid();
        config.Frontends[0].Mode = (V1.Mode)7;
        config.Backends[0].Mode = (V1.Mode)7;

        var errors = Errors(config);

        Assert.Contains("frontend 'web': unknown mode 7 (expected http or tcp)", errors);
        Assert.Contains("backend 'app': unknown mode 7 (expected http or tcp)", errors);
    }

    [Theory]
    [InlineData(V1.Balance.Roundrobin)]
    [InlineData(V1.Balance.StaticRr)]
    [InlineData(V1.Balance.Leastconn)]
    [InlineData(V1.Balance.First)]
    [InlineData(V1.Balance.Source)]
    [InlineData(V1.Balance.Uri)]
    [InlineData(V1.Balance.Random)]
    public void Validate_EveryBalanceAlgorithm_Accepted(V1.Balance balance)
    {
        var config = Valid();
        config.Backends[0].Balance = balance;
        config.Backends[0].HashType = V1.HashType.Consistent;
        config.Backends[0].HashFunction = V1.HashFunction.Wt6;
        config.Backends[0].HashAvalanche = true;

        Assert.Empty(SnapshotValidator.Validate(config));
    }

    [Theory]
    [InlineData(V1.Balance.UrlParam, "userid")]
    [InlineData(V1.Balance.Hdr, "Host")]
    public void Validate_ParameterizedBalance_AcceptedWithParam(V1.Balance balance, string param)
    {
        var config = Valid();
        config.Backends[0].Balance = balance;
        config.Backends[0].BalanceParam = param;
        config.Backends[0].HdrUseDomainOnly = balance == V1.Balance.Hdr;

        Assert.Empty(SnapshotValidator.Validate(config));
    }

    [Theory]
    [InlineData(V1.Balance.UrlParam, "", "balance url_param needs balance_param (the query parameter name)")]
    [InlineData(V1.Balance.Hdr, "", "balance hdr needs balance_param (the header name)")]
    [InlineData(V1.Balance.Hdr, "X Y", "invalid balance_param 'X Y' for balance hdr")]
    [InlineData(V1.Balance.UrlParam, "a&b", "invalid balance_param 'a&b' for balance url_param")]
    [InlineData(V1.Balance.Roundrobin, "x", "balance_param applies only to balance url_param and hdr (balance is roundrobin)")]
    public void Validate_BalanceParamProblems_Rejected(V1.Balance balance, string param, string error)
    {
        var config = Valid();
        config.Backends[0].Balance = balance;
        config.Backends[0].BalanceParam = param;

        Assert.Equal($"backend 'app': {error}", Errors(config));
    }

    [Fact]
    public void Validate_OptionsOfAnotherAlgorithm_Rejected()
    {
        var config = Valid();
        config.Backends[0].Balance = V1.Balance.Source;
        config.Backends[0].UriDepth = 2;
        config.Backends[0].HdrUseDomainOnly = true;
        config.Backends[0].RandomDraws = 3;

        var errors = Errors(config);

        Assert.Contains("uri_len, uri_depth, uri_path_only and uri_whole apply only to balance uri (balance is source)", errors);
        Assert.Contains("hdr_use_domain_only applies only to balance hdr (balance is source)", errors);
        Assert.Contains("random_draws applies only to balance random (balance is source)", errors);
    }

    [Theory]
    [InlineData(V1.Balance.Uri, "uri")]
    [InlineData(V1.Balance.UrlParam, "url_param")]
    [InlineData(V1.Balance.Hdr, "hdr")]
    public void Validate_Layer7BalanceInModeTcp_Rejected(V1.Balance balance, string name)
    {
        var config = Valid();
        config.Frontends[0].Mode = V1.Mode.Tcp;
        config.Backends[0].Mode = V1.Mode.Tcp;
        config.Backends[0].Balance = balance;
        config.Backends[0].BalanceParam = balance == V1.Balance.Uri ? string.Empty : "x";

        Assert.Contains($"backend 'app': balance {name} needs mode http", Errors(config));
    }

    [Fact]
    public void Validate_UnknownBalanceOrHashSettings_Rejected()
    {
        var config = Valid();
        config.Backends[0].Balance = (V1.Balance)42;
        Assert.Contains("backend 'app': balance 42 is not supported", Errors(config));

        config.Backends[0].Balance = V1.Balance.Source;
        config.Backends[0].HashType = (V1.HashType)5;
        config.Backends[0].HashFunction = (V1.HashFunction)9;
        var errors = Errors(config);
        Assert.Contains("unknown hash_type 5", errors);
        Assert.Contains("unknown hash_function 9", errors);
    }

    [Fact]
    public void Validate_RandomDrawsOutOfRange_Rejected()
    {
        var config = Valid();
        config.Backends[0].Balance = V1.Balance.Random;
        config.Backends[0].RandomDraws = 101;

        Assert.Equal("backend 'app': random_draws 101 is out of range (1-100, or 0 for 2)", Errors(config));
    }

    [Fact]
    public void Validate_ServerIds_UniqueAndInRange()
    {
        var config = Valid();
        config.Backends[0].Servers[0].Id = 7;
        config.Backends[0].Servers[1].Id = 7;
        config.Backends[0].Servers.Add(new V1.Server { Name = "c", Address = "127.0.0.1", Port = 9003, Id = 3_000_000_000 });

        var errors = Errors(config);

        Assert.Contains("backend 'app' server 'b': id 7 is already used by server 'a'", errors);
        Assert.Contains("backend 'app' server 'c': id 3000000000 is out of range", errors);
    }

    [Fact]
    public void Validate_TimeoutsOutOfRange_Rejected()
    {
        var config = Valid();
        config.Frontends[0].TimeoutClientMs = uint.MaxValue;
        config.Backends[0].TimeoutServerMs = uint.MaxValue;
        config.Backends[0].TimeoutConnectMs = uint.MaxValue;

        var errors = Errors(config);

        Assert.Contains("frontend 'web': timeout_client_ms 4294967295 is out of range", errors);
        Assert.Contains("backend 'app': timeout_server_ms 4294967295 is out of range", errors);
        Assert.Contains("backend 'app': timeout_connect_ms 4294967295 is out of range", errors);
    }

    [Fact]
    public void Validate_StaticRr_Accepted()
    {
        var config = Valid();
        config.Backends[0].Balance = V1.Balance.StaticRr;

        Assert.Empty(SnapshotValidator.Validate(config));
    }

    [Fact]
    public void Validate_DefaultBackendMissing_Rejected()
    {
        var config = Valid();
        config.Frontends[0].DefaultBackend = "nope";

        Assert.Equal("frontend 'web': default_backend 'nope' does not exist", Errors(config));
    }

    [Fact]
    public void Validate_DuplicateNames_Rejected()
    {
        var config = Valid();
        config.Frontends.Add(Frontend("web", "app", 8081));
        config.Backends.Add(Backend("app"));
        config.Backends[0].Servers.Add(Server("a", 9003));

        var errors = Errors(config);

        Assert.Contains("frontend 'web': duplicate frontend name", errors);
        Assert.Contains("backend 'app': duplicate backend name", errors);
        Assert.Contains("backend 'app' server 'a': duplicate server name", errors);
    }

    [Fact]
    public void Validate_SameBindTwice_Rejected()
    {
        var config = Valid();
        config.Frontends.Add(Frontend("other", "app", 8080));

        Assert.Equal("frontend 'other' bind 127.0.0.1:8080: already used by frontend 'web'", Errors(config));
    }

    [Theory]
    [InlineData("not-an-ip", 80u)]
    [InlineData("127.0.0.1", 0u)]
    [InlineData("127.0.0.1", 70000u)]
    public void Validate_InvalidBind_Rejected(string address, uint port)
    {
        var config = Valid();
        config.Frontends[0].Binds.Add(new V1.Bind { Address = address, Port = port });

        Assert.Contains("invalid address or port", Errors(config));
    }

    [Theory]
    [InlineData("*")]
    [InlineData("")]
    [InlineData("::1")]
    [InlineData("[::1]")]
    [InlineData("0.0.0.0")]
    public void Validate_BindAddressForms_Accepted(string address)
    {
        var config = Valid();
        config.Frontends[0].Binds.Clear();
        config.Frontends[0].Binds.Add(new V1.Bind { Address = address, Port = 8080 });

        Assert.Empty(SnapshotValidator.Validate(config));
    }

    [Fact]
    public void Validate_ServerProblems_Rejected()
    {
        var config = Valid();
        config.Backends[0].Servers.Add(new V1.Server { Name = "bad name", Address = "", Port = 0, Weight = 257 });

        var errors = Errors(config);

        Assert.Contains("server 'bad name': invalid name", errors);
        Assert.Contains("invalid address ''", errors);
        Assert.Contains("invalid port 0", errors);
        Assert.Contains("weight 257 is out of range (0-256)", errors);
    }

    [Fact]
    public void Validate_HealthCheckProblems_Rejected()
    {
        var config = Valid();
        config.Backends[0].HealthCheck.HttpPath = "health";
        config.Backends[0].HealthCheck.HttpMethod = "GE T";
        config.Backends[0].HealthCheck.ExpectStatus = 42;

        var errors = Errors(config);

        Assert.Contains("invalid health check path 'health'", errors);
        Assert.Contains("invalid health check method 'GE T'", errors);
        Assert.Contains("expect_status 42 is not an HTTP status", errors);
    }

    [Fact]
    public void Validate_ReportsAllErrors()
    {
        var config = Valid();
        config.Frontends[0].Mode = V1.Mode.Tcp;
        config.Backends[0].Balance = V1.Balance.UrlParam;

        Assert.Equal(2, SnapshotValidator.Validate(config).Count); // url_param without a name, frontend/backend mode mismatch
    }
}
