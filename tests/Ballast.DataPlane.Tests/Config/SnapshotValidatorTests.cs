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
    public void Validate_ModeTcp_Rejected()
    {
        var config = Valid();
        config.Frontends[0].Mode = V1.Mode.Tcp;
        config.Backends[0].Mode = V1.Mode.Tcp;

        var errors = Errors(config);

        Assert.Contains("frontend 'web': mode tcp is not supported by this node", errors);
        Assert.Contains("backend 'app': mode tcp is not supported by this node", errors);
    }

    [Theory]
    [InlineData(V1.Balance.Leastconn, "leastconn")]
    [InlineData(V1.Balance.Source, "source")]
    [InlineData((V1.Balance)42, "42")]
    public void Validate_UnsupportedBalance_Rejected(V1.Balance balance, string name)
    {
        var config = Valid();
        config.Backends[0].Balance = balance;

        Assert.Contains($"backend 'app': balance {name} is not supported", Errors(config));
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
        config.Backends[0].Balance = V1.Balance.Random;

        Assert.Equal(3, SnapshotValidator.Validate(config).Count); // frontend mode, balance, frontend/backend mode mismatch
    }
}
