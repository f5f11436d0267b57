using Ballast.HaproxyConfig.Export;
using Ballast.HaproxyConfig.Import;
using Ballast.HaproxyConfig.Tests.Support;

namespace Ballast.HaproxyConfig.Tests.Export;

public sealed class ZzDebugLogTests
{
    [Fact]
    public void Dbg()
    {
        var imported = HaproxyImporter.Import(Corpus.Read("legacy-1.x.cfg")).Config;
        var text = HaproxyExporter.Export(imported);
        var back = HaproxyImporter.Import(text);
        Assert.Fail(text + "\n" + string.Join("\n", back.Report.Findings.Select(f => $"{f.Line} {f.Keyword} {f.Severity} {f.Reason}")) + "\n" + string.Join("\n", back.Report.Mapped.Select(f => $"{f.Line} {f.Keyword} {f.Target}")));
    }
}
