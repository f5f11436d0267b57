using Ballast.HaproxyConfig.Export;
using Ballast.HaproxyConfig.Import;
using Ballast.HaproxyConfig.Tests.Support;
using Ballast.Proto.V1;
using Xunit.Abstractions;

namespace Ballast.HaproxyConfig.Tests.ProxyProtocol;

/// <summary>
/// Import/export of <c>send-proxy</c>/<c>send-proxy-v2</c>, <c>timeout http-request|http-keep-alive|tunnel</c>,
/// frontend <c>option forwardfor</c> and HAProxy 2.8 <c>option forwarded</c>.
/// </summary>
public sealed class ProxyHeaderImportExportTests(ITestOutputHelper output)
{
    private const string Cfg = """
        defaults
            mode http
            timeout connect 5s
            timeout client 50s
            timeout server 50s

        frontend web
            bind 127.0.0.1:8080
            timeout http-request 5s
            timeout http-keep-alive 2s
            option forwardfor except 10.0.0.0/8 header X-Client
            default_backend app

        backend app
            timeout tunnel 1h
            option forwarded proto host for
            default-server send-proxy-v2
            server s1 10.0.0.1:80
            server s2 10.0.0.2:80 send-proxy
            server s3 10.0.0.3:80 no-send-proxy-v2
        """;

    [Fact]
    public void Import_MapsTheKeywords_WithoutUnsupportedFindings()
    {
        var result = HaproxyImporter.Import(Cfg);

        result.NoErrors();
        Assert.DoesNotContain(result.Report.Findings, f => f.Keyword.Contains("proxy", StringComparison.Ordinal)
            || f.Keyword.Contains("timeout", StringComparison.Ordinal) || f.Keyword.Contains("forward", StringComparison.Ordinal));
        var frontend = Assert.Single(result.Config.Frontends);
        Assert.Equal((5000u, 2000u, true, "10.0.0.0/8", "X-Client"),
            (frontend.TimeoutHttpRequestMs, frontend.TimeoutHttpKeepAliveMs, frontend.Forwardfor, frontend.ForwardforExcept, frontend.ForwardforHeader));
        var backend = Assert.Single(result.Config.Backends);
        Assert.Equal(3_600_000u, backend.TimeoutTunnelMs);
        Assert.Equal(new ForwardedOption { Proto = true, Host = true, For = true }, backend.Forwarded);
        Assert.Equal(
            [ProxyProtocolVersion.ProxyProtocolV2, ProxyProtocolVersion.ProxyProtocolV1, ProxyProtocolVersion.ProxyProtocolNone],
            backend.Servers.Select(s => s.SendProxy));
    }

    [Fact]
    public void OptionForwardedWithExpression_IsReportedUnsupported()
    {
        var result = HaproxyImporter.Import("backend app\n    mode http\n    option forwarded for-expr src\n    server s1 10.0.0.1:80\n");

        var finding = Assert.Single(result.Report.Findings, f => f.Keyword.StartsWith("option forwarded", StringComparison.Ordinal));
        Assert.Equal(FindingSeverity.Unsupported, finding.Severity);
        Assert.Null(Assert.Single(result.Config.Backends).Forwarded);
    }

    [Fact]
    public void Export_RoundTrips_ExceptOptionForwardedWhichIsAComment()
    {
        var config = HaproxyImporter.Import(Cfg).Config;
        var text = HaproxyExporter.Export(config);
        output.WriteLine(text);

        Assert.Contains("    timeout http-request 5s\n", text, StringComparison.Ordinal);
        Assert.Contains("    timeout http-keep-alive 2s\n", text, StringComparison.Ordinal);
        Assert.Contains("    option forwardfor except 10.0.0.0/8 header X-Client\n", text, StringComparison.Ordinal);
        Assert.Contains("    timeout tunnel 1h\n", text, StringComparison.Ordinal);
        Assert.Contains("    # option forwarded proto host for for_port\n", text, StringComparison.Ordinal);
        Assert.Contains("server s1 10.0.0.1:80 send-proxy-v2", text, StringComparison.Ordinal);
        Assert.Contains("server s2 10.0.0.2:80 send-proxy", text, StringComparison.Ordinal);
        var back = HaproxyImporter.Import(text);
        back.NoErrors();
        var expected = config.Clone();
        expected.Backends[0].Forwarded = null; // HAProxy 2.6 has no 'option forwarded': exported as a comment
        Assert.Equal(expected, back.Config);
    }

    [Fact]
    public void Haproxy_AcceptsTheExport()
    {
        var text = HaproxyExporter.Export(HaproxyImporter.Import(Cfg).Config);
        var check = HaproxyBinary.Check(text);
        output.WriteLine(check.Output);

        Assert.True(check.ExitCode == 0, $"haproxy -c exited with {check.ExitCode}:\n{check.Output}\n--- exported file ---\n{text}");
        Assert.Empty(check.Alerts);
    }

    [Fact]
    public void OptionForwardfor_InAListen_GoesToTheBackendHalfOnly()
    {
        var result = HaproxyImporter.Import("listen web\n    mode http\n    bind 127.0.0.1:8080\n    option forwardfor\n    server s1 10.0.0.1:80\n");

        result.NoErrors();
        Assert.False(Assert.Single(result.Config.Frontends).Forwardfor);
        Assert.True(Assert.Single(result.Config.Backends).Forwardfor);
    }
}
