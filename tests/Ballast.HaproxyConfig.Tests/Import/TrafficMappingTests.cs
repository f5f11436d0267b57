using Ballast.HaproxyConfig.Import;
using Ballast.HaproxyConfig.Tests.Support;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Tests.Import;

/// <summary>Timeouts, retries, retry-on, redispatch, allbackups and forwardfor: mapping, line numbers and defaults inheritance.</summary>
public sealed class TrafficMappingTests
{
    [Theory]
    [InlineData("timeout connect 3s", "timeout connect")]
    [InlineData("timeout server 1m", "timeout server")]
    [InlineData("timeout queue 2500ms", "timeout queue")]
    [InlineData("retries 0", "retries")]
    [InlineData("retry-on conn-failure empty-response 503", "retry-on")]
    [InlineData("option redispatch", "option redispatch")]
    [InlineData("option redispatch -2", "option redispatch")]
    [InlineData("no option redispatch", "no option redispatch")]
    [InlineData("option allbackups", "option allbackups")]
    [InlineData("option forwardfor except 127.0.0.0/8 header X-Client", "option forwardfor")]
    public void Each_backend_keyword_is_mapped_on_its_line(string line, string keyword)
    {
        var result = HaproxyImporter.Import($"backend b\n    mode http\n    {line}\n");
        result.NoErrors();
        Assert.Empty(result.Report.Findings);
        var mapped = Assert.Single(result.Report.Mapped, m => m.Line == 3);
        Assert.Equal((keyword, "backend b"), (mapped.Keyword, mapped.Section));
    }

    [Fact]
    public void Backend_values_are_set()
    {
        var result = HaproxyImporter.Import("""
            backend b
                timeout connect 3s
                timeout server 1m
                timeout queue 2500ms
                retries 0
                retry-on conn-failure 503
                option redispatch -2
                option allbackups
                option forwardfor except 127.0.0.0/8 header X-Client

            """);
        var b = result.Backend("b");
        Assert.Equal((3000u, 60000u, 2500u, 0u, -2, true), (b.TimeoutConnectMs, b.TimeoutServerMs, b.TimeoutQueueMs, b.Retries, b.Redispatch, b.Allbackups));
        Assert.True(b.HasRetries);
        Assert.Equal(new[] { "conn-failure", "503" }, b.RetryOn);
        Assert.Equal((true, "127.0.0.0/8", "X-Client"), (b.Forwardfor, b.ForwardforExcept, b.ForwardforHeader));
    }

    [Fact]
    public void Unset_values_keep_the_model_defaults()
    {
        var b = HaproxyImporter.Import("backend b\n").Backend("b");
        Assert.False(b.HasRetries);
        Assert.False(b.HasRedispatch);
        Assert.Equal((0u, 0u, 0u, false, false), (b.TimeoutConnectMs, b.TimeoutServerMs, b.TimeoutQueueMs, b.Allbackups, b.Forwardfor));
    }

    [Fact]
    public void Frontend_timeout_client_is_mapped()
    {
        var result = HaproxyImporter.Import("frontend f\n    bind :80\n    timeout client 20s\n");
        Assert.Equal(20000u, result.Frontend("f").TimeoutClientMs);
        Assert.Equal("timeout client", Assert.Single(result.Report.Mapped, m => m.Line == 3).Keyword);
    }

    [Fact]
    public void Defaults_are_inherited_and_overridden_and_no_option_clears()
    {
        var result = HaproxyImporter.Import("""
            defaults
                mode http
                timeout connect 4s
                timeout client 20s
                timeout server 40s
                timeout queue 10s
                retries 5
                retry-on all-retryable-errors
                option redispatch
                option allbackups
                option forwardfor

            frontend f
                bind :80
                default_backend inherits

            backend inherits

            backend overrides
                timeout server 2m
                retries 1
                no option redispatch
                no option allbackups
                no option forwardfor

            defaults
                mode http

            backend after_reset

            """);
        result.NoErrors();
        Assert.Equal(20000u, result.Frontend("f").TimeoutClientMs);
        var inherits = result.Backend("inherits");
        Assert.Equal((4000u, 40000u, 10000u, 5u, -1, true, true), (inherits.TimeoutConnectMs, inherits.TimeoutServerMs, inherits.TimeoutQueueMs, inherits.Retries, inherits.Redispatch, inherits.Allbackups, inherits.Forwardfor));
        Assert.Equal(new[] { "all-retryable-errors" }, inherits.RetryOn);
        var overrides = result.Backend("overrides");
        Assert.Equal((4000u, 120000u, 1u, 0, false, false), (overrides.TimeoutConnectMs, overrides.TimeoutServerMs, overrides.Retries, overrides.Redispatch, overrides.Allbackups, overrides.Forwardfor));
        Assert.True(overrides.HasRedispatch);
        var reset = result.Backend("after_reset");
        Assert.Equal((0u, 0u, false, false, false), (reset.TimeoutConnectMs, reset.TimeoutServerMs, reset.HasRetries, reset.HasRedispatch, reset.Allbackups));
        Assert.Contains(result.Report.Mapped, m => m.Line == 7 && m.Target == "defaults: retries 5 (inherited)");
    }

    [Theory]
    [InlineData("timeout client 50s", 0u)]
    [InlineData("timeout client 50000", 0u)]
    [InlineData("timeout client 49s", 49000u)]
    public void The_models_default_timeouts_are_stored_as_zero(string line, uint expected)
    {
        Assert.Equal(expected, HaproxyImporter.Import($"frontend f\n    {line}\n").Frontend("f").TimeoutClientMs);
    }

    [Theory]
    [InlineData("retries x", "retries")]
    [InlineData("option redispatch 0", "option redispatch")]
    [InlineData("option forwardfor header", "option forwardfor")]
    [InlineData("timeout queue soon", "timeout queue")]
    public void Invalid_values_are_errors(string line, string keyword)
    {
        var result = HaproxyImporter.Import($"backend b\n    {line}\n");
        Assert.Equal(keyword, Assert.Single(result.Report.OfSeverity(FindingSeverity.Error)).Keyword);
    }
}
