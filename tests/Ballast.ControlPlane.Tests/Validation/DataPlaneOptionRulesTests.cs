using Ballast.ControlPlane.Validation;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Tests.Validation;

/// <summary>Issue 5 options: errors name the object and the admin API field.</summary>
public sealed class DataPlaneOptionRulesTests
{
    private static Backend Valid() => new()
    {
        Name = "app",
        HealthCheck = new HealthCheck { Type = HealthCheckType.HealthCheckHttp, HttpMethod = "GET", HttpPath = "/health" },
        Servers = { new Server { Name = "s1", Address = "127.0.0.1", Port = 8081, Check = true } },
    };

    private static List<ValidationError> Errors(Backend backend)
    {
        var errors = new List<ValidationError>();
        ConfigValidator.ValidateBackend(backend, "backend 'app'", errors);
        return errors;
    }

    [Fact]
    public void ValidOptions_HaveNoErrors()
    {
        var backend = Valid();
        backend.Allbackups = true;
        backend.TimeoutQueueMs = 1000;
        backend.Retries = 5;
        backend.RetryOn.Add("all-retryable-errors");
        backend.RetryOn.Add("404");
        backend.Redispatch = -1;
        backend.Forwardfor = true;
        backend.ForwardforExcept = "127.0.0.0/8";
        backend.ForwardforHeader = "X-Real-Client";
        backend.HealthCheck.FastinterMs = 200;
        backend.HealthCheck.DowninterMs = 10000;
        backend.HealthCheck.ExpectKind = HttpCheckExpect.Rstatus;
        backend.HealthCheck.ExpectValue = "^2";
        backend.Servers[0].Backup = true;
        backend.Servers[0].SlowstartMs = 30000;
        backend.Servers[0].CheckPort = 8008;
        backend.Servers[0].CheckAddr = "10.0.0.5";

        Assert.Empty(Errors(backend));
    }

    [Theory]
    [InlineData("retries", "backend 'app'", "retries")]
    [InlineData("retryOn", "backend 'app'", "retryOn[0]")]
    [InlineData("except", "backend 'app'", "forwardforExcept")]
    [InlineData("forwardforTcp", "backend 'app'", "forwardfor")]
    [InlineData("expectStatus", "backend 'app'", "healthCheck.expectValue")]
    [InlineData("expectTcp", "backend 'app'", "healthCheck.expectKind")]
    [InlineData("checkPort", "backend 'app' server 's1'", "checkPort")]
    [InlineData("checkAddr", "backend 'app' server 's1'", "checkAddr")]
    public void BadOptions_NameObjectAndField(string what, string obj, string field)
    {
        var backend = Valid();
        switch (what)
        {
            case "retries": backend.Retries = 101; break;
            case "retryOn": backend.RetryOn.Add("on-tuesdays"); break;
            case "except": backend.Forwardfor = true; backend.ForwardforExcept = "not-a-net"; break;
            case "forwardforTcp": backend.Forwardfor = true; backend.Mode = Mode.Tcp; break;
            case "expectStatus": backend.HealthCheck.ExpectKind = HttpCheckExpect.Status; backend.HealthCheck.ExpectValue = "2xx"; break;
            case "expectTcp": backend.HealthCheck.Type = HealthCheckType.HealthCheckTcp; backend.HealthCheck.ExpectKind = HttpCheckExpect.String; backend.HealthCheck.ExpectValue = "OK"; break;
            case "checkPort": backend.Servers[0].CheckPort = 65536; break;
            case "checkAddr": backend.Servers[0].CheckAddr = "bad addr"; break;
        }

        Assert.Contains(Errors(backend), e => e.Object == obj && e.Field == field);
    }
}
