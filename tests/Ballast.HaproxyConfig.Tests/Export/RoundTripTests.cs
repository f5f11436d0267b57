using Ballast.HaproxyConfig.Export;
using Ballast.HaproxyConfig.Import;
using Ballast.HaproxyConfig.Tests.Support;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Tests.Export;

/// <summary>import(export(c)) == c, on hand-built models and on the models of every corpus file.</summary>
public sealed class RoundTripTests
{
    public static TheoryData<string> HandBuilt() => new() { nameof(Configs.Web), nameof(Configs.TcpAndBalances), nameof(Configs.BalanceArguments) };

    private static Config Build(string name) => name switch
    {
        nameof(Configs.Web) => Configs.Web(),
        nameof(Configs.BalanceArguments) => Configs.BalanceArguments(),
        _ => Configs.TcpAndBalances(),
    };

    [Theory]
    [MemberData(nameof(HandBuilt))]
    public void Hand_built_models_come_back_unchanged(string name)
    {
        var config = Build(name);
        var back = HaproxyImporter.Import(HaproxyExporter.Export(config));
        back.NoErrors();
        Assert.Equal(config, back.Config);
    }

    [Theory]
    [MemberData(nameof(Corpus.All), MemberType = typeof(Corpus))]
    public void Models_imported_from_the_corpus_come_back_unchanged(string file)
    {
        var imported = HaproxyImporter.Import(Corpus.Read(file), new Dictionary<string, string> { ["FD_APP1"] = "3" }).Config;
        var back = HaproxyImporter.Import(HaproxyExporter.Export(imported));
        back.NoErrors();
        Assert.Equal(imported, back.Config);
    }

    [Fact]
    public void Hash_type_with_the_default_function_and_avalanche_comes_back_as_sdbm_avalanche()
    {
        var config = Configs.BalanceArguments();
        var backend = config.Backends[0];
        (backend.HashType, backend.HashFunction, backend.HashAvalanche) = (HashType.MapBased, HashFunction.Default, true);
        var back = HaproxyImporter.Import(HaproxyExporter.Export(config)).Backend(backend.Name);
        Assert.Equal((HashType.MapBased, HashFunction.Sdbm, true), (back.HashType, back.HashFunction, back.HashAvalanche));
    }

    [Fact]
    public void Exported_files_import_with_only_the_empty_global_section_reported()
    {
        var result = HaproxyImporter.Import(HaproxyExporter.Export(Configs.Web()));
        Assert.Equal(
            new[] { "global" },
            result.Report.Findings.Select(f => f.Keyword));
    }
}
