using Ballast.DataPlane.Snapshots;
using Microsoft.Extensions.Logging.Abstractions;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;

namespace Ballast.DataPlane.Tests.Snapshots;

public sealed class SnapshotStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ballast-store-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private SnapshotStore Store() => new(_dir, NullLogger<SnapshotStore>.Instance);

    [Fact]
    public async Task Load_NothingSaved_ReturnsNull()
    {
        Assert.Null(await Store().LoadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Save_ThenLoad_RoundTripsVersionAndConfig()
    {
        var config = NewConfig([Frontend("web", "app", 8080)], [Backend("app", Server("a", 9001, weight: 3))]);
        await Store().SaveAsync(12, config, CancellationToken.None);

        var loaded = await Store().LoadAsync(CancellationToken.None);

        Assert.NotNull(loaded);
        Assert.Equal(12UL, loaded.Version);
        Assert.Equal(config, loaded.Config);
        Assert.Equal([SnapshotStore.FileName], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Save_Twice_KeepsLatest()
    {
        var store = Store();
        await store.SaveAsync(1, NewConfig([Frontend("one", "", 8080)], []), CancellationToken.None);
        await store.SaveAsync(2, NewConfig([Frontend("two", "", 8080)], []), CancellationToken.None);

        var loaded = await store.LoadAsync(CancellationToken.None);

        Assert.Equal(2UL, loaded!.Version);
        Assert.Equal("two", loaded.Config.Frontends[0].Name);
    }

    [Fact]
    public async Task Load_CorruptFile_ReturnsNull()
    {
        Directory.CreateDirectory(_dir);
        await File.WriteAllBytesAsync(Path.Combine(_dir, SnapshotStore.FileName), [0xff, 0xff, 0xff, 0x01]);

        Assert.Null(await Store().LoadAsync(CancellationToken.None));
    }
}
