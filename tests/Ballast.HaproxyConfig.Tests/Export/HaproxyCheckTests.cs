using Ballast.HaproxyConfig.Export;
using Ballast.HaproxyConfig.Import;
using Ballast.HaproxyConfig.Tests.Support;
using Ballast.Proto.V1;
using Xunit.Abstractions;

namespace Ballast.HaproxyConfig.Tests.Export;

/// <summary>
/// Debian's HAProxy 2.6 (<c>haproxy -c -f</c>) accepts every export. These tests fail, never skip, when HAProxy
/// is not installed.
/// </summary>
public sealed class HaproxyCheckTests(ITestOutputHelper output)
{
    [Fact]
    public void Haproxy_accepts_the_export_of_a_model_using_every_field_without_warnings()
    {
        var config = Configs.Web();
        config.Backends[0].Servers[1].State = ServerState.Drain;
        AssertAccepted(HaproxyExporter.Export(config), allowWarnings: false);
    }

    [Fact]
    public void Haproxy_accepts_the_export_of_every_balance_algorithm_and_check_type()
    {
        var config = Configs.TcpAndBalances();
        var frontend = new Frontend { Name = "http-in", Mode = Mode.Http, DefaultBackend = "b-hdr" };
        frontend.Binds.Add(new Bind { Address = "127.0.0.1", Port = 18080 });
        config.Frontends.Add(frontend);
        AssertAccepted(HaproxyExporter.Export(config), allowWarnings: false);
    }

    [Theory]
    [MemberData(nameof(Corpus.All), MemberType = typeof(Corpus))]
    public void Haproxy_accepts_the_export_of_every_corpus_model(string file)
    {
        var imported = HaproxyImporter.Import(Corpus.Read(file), new Dictionary<string, string> { ["FD_APP1"] = "3" }).Config;
        var hasListener = imported.Frontends.Any(f => f.Binds.Count > 0);
        AssertAccepted(HaproxyExporter.Export(imported), allowWarnings: true, exitCode: hasListener ? 0 : 2);
    }

    private void AssertAccepted(string text, bool allowWarnings, int exitCode = 0)
    {
        var check = HaproxyBinary.Check(text);
        output.WriteLine(check.Output);
        Assert.True(check.ExitCode == exitCode, $"haproxy -c exited with {check.ExitCode} (expected {exitCode}):\n{check.Output}\n--- exported file ---\n{text}");
        Assert.Empty(check.Alerts);
        if (!allowWarnings)
        {
            Assert.Empty(check.Warnings);
        }
    }
}
