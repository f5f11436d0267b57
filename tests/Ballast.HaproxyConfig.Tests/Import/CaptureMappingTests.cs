using Ballast.HaproxyConfig.Export;
using Ballast.HaproxyConfig.Import;
using Ballast.HaproxyConfig.Tests.Support;
using Ballast.Proto.V1;
using Xunit.Abstractions;

namespace Ballast.HaproxyConfig.Tests.Import;

/// <summary><c>capture request header &lt;name&gt; len &lt;n&gt;</c> and <c>capture response header</c>: import, export, haproxy -c.</summary>
public sealed class CaptureMappingTests(ITestOutputHelper output)
{
    private const string Cfg = """
        defaults
            mode http
            timeout connect 5s
            timeout client 50s
            timeout server 50s

        frontend web
            bind 127.0.0.1:8080
            option httplog
            capture request header Host len 32
            capture request header User-Agent len 64
            capture response header Content-Type len 20
            capture cookie SRV len 32
            default_backend app

        listen api
            bind 127.0.0.1:8081
            capture response header X-Tag len 1024
            server s1 10.0.0.2:80

        backend app
            server s1 10.0.0.1:80

        """;

    private static HeaderCapture Capture(string name, uint len) => new() { Name = name, Len = len };

    [Fact]
    public void Import_MapsHeaderCaptures_InOrder_AndKeepsCaptureCookieReported()
    {
        var result = HaproxyImporter.Import(Cfg);

        result.NoErrors();
        var web = result.Frontend("web");
        Assert.Equal([Capture("Host", 32), Capture("User-Agent", 64)], web.CaptureRequestHeaders);
        Assert.Equal([Capture("Content-Type", 20)], web.CaptureResponseHeaders);
        Assert.Equal([Capture("X-Tag", 1024)], result.Frontend("api").CaptureResponseHeaders);
        Assert.DoesNotContain(result.Report.Findings, f => f.Keyword is "capture request" or "capture response");
        Assert.Contains(result.Report.Findings, f => f.Keyword == "capture cookie" && f.Severity == FindingSeverity.Ignored);
        Assert.Contains(result.Report.Mapped, m => m.Target == "frontend web: captureRequestHeaders += Host len 32");
    }

    [Fact]
    public void Export_RoundTripsTheCaptures()
    {
        var config = HaproxyImporter.Import(Cfg).Config;
        var text = HaproxyExporter.Export(config);
        output.WriteLine(text);

        Assert.Contains("    capture request header Host len 32\n    capture request header User-Agent len 64\n", text, StringComparison.Ordinal);
        Assert.Contains("    capture response header Content-Type len 20\n", text, StringComparison.Ordinal);
        var back = HaproxyImporter.Import(text);
        back.NoErrors();
        Assert.Equal(config, back.Config);
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

    [Theory]
    [InlineData("capture request header Host", "'capture request' expects 'header' <header_name> 'len' <len>")]
    [InlineData("capture response header Host size 5", "'capture response' expects 'header' <header_name> 'len' <len>")]
    [InlineData("capture request header Host len 5 extra", "'capture request' cannot handle unexpected argument 'extra'")]
    [InlineData("capture request header Host len abc", "'capture request header' expects an integer length (got 'abc')")]
    public void MalformedCapture_IsAnError_AsHaproxyRefusesIt(string line, string message)
    {
        var result = HaproxyImporter.Import($"frontend web\n    mode http\n    bind :80\n    {line}\n");

        var finding = Assert.Single(result.Report.Findings, f => f.Severity == FindingSeverity.Error);
        Assert.Equal((4, message), (finding.Line, finding.Reason));
        Assert.Empty(result.Frontend("web").CaptureRequestHeaders);
    }

    [Theory]
    [InlineData("capture request header Host len 0", "unsupported: Ballast nodes capture 1-1024 characters per header (got len 0)")]
    [InlineData("capture request header Host len 4096", "unsupported: Ballast nodes capture 1-1024 characters per header (got len 4096)")]
    [InlineData("capture request header \"Bad Name\" len 8", "unsupported: 'Bad Name' is not an HTTP header name (a token of at most 64 characters)")]
    public void CaptureHaproxyAccepts_ButNodesCannotHold_IsUnsupported(string line, string reason)
    {
        var result = HaproxyImporter.Import($"frontend web\n    mode http\n    bind :80\n    {line}\n");

        var finding = Assert.Single(result.Report.Findings, f => f.Keyword == "capture request");
        Assert.Equal((FindingSeverity.Unsupported, reason), (finding.Severity, finding.Reason));
        Assert.Empty(result.Frontend("web").CaptureRequestHeaders);
    }

    [Fact]
    public void CaptureInDefaults_IsAnError_InABackendIgnored_InModeTcpIgnored()
    {
        var result = HaproxyImporter.Import("""
            defaults
                capture request header Host len 8
            frontend db
                mode tcp
                bind :5432
                capture request header Host len 8
                default_backend pg
            backend pg
                mode tcp
                capture response header Server len 8
                server s1 10.0.0.1:5432

            """);

        Assert.Contains(result.Report.Findings, f => f.Line == 2 && f.Severity == FindingSeverity.Error && f.Reason == "'capture request' not allowed in 'defaults' section");
        Assert.Contains(result.Report.Findings, f => f.Line == 6 && f.Severity == FindingSeverity.Ignored && f.Reason.Contains("need 'mode http'", StringComparison.Ordinal));
        Assert.Contains(result.Report.Findings, f => f.Line == 10 && f.Severity == FindingSeverity.Ignored && f.Reason.Contains("no frontend capability", StringComparison.Ordinal));
        Assert.Empty(result.Frontend("db").CaptureRequestHeaders);
    }
}
