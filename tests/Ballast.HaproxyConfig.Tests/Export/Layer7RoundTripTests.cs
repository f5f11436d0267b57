using Ballast.HaproxyConfig.Export;
using Ballast.HaproxyConfig.Import;
using Ballast.HaproxyConfig.Tests.Support;
using Xunit.Abstractions;

namespace Ballast.HaproxyConfig.Tests.Export;

/// <summary>ACLs, use_backend, HTTP rules, stick tables, cookies, timeouts, retries and expect kinds survive export → import, and HAProxy accepts the export.</summary>
public sealed class Layer7RoundTripTests(ITestOutputHelper output)
{
    [Fact]
    public void A_model_using_every_layer7_and_retry_field_comes_back_unchanged()
    {
        var config = Layer7Configs.All();
        var text = HaproxyExporter.Export(config);
        output.WriteLine(text);
        var back = HaproxyImporter.Import(text);
        back.NoErrors();
        Assert.Equal(new[] { "global" }, back.Report.Findings.Select(f => f.Keyword));
        Assert.Equal(config, back.Config);
    }

    [Fact]
    public void Haproxy_accepts_the_export_without_warnings()
    {
        var text = HaproxyExporter.Export(Layer7Configs.All());
        var check = HaproxyBinary.Check(text);
        output.WriteLine(check.Output);
        Assert.True(check.ExitCode == 0, $"haproxy -c exited with {check.ExitCode}:\n{check.Output}\n--- exported file ---\n{text}");
        Assert.Empty(check.Alerts);
        Assert.Empty(check.Warnings);
    }
}
