using Ballast.ControlPlane.Hosting;
using Ballast.ControlPlane.Tests.TestSupport;

namespace Ballast.ControlPlane.Tests.Hosting;

public sealed class AdminTokenTests
{
    [Fact]
    public void Generated_IsUrlSafe32Bytes_StoredWithMode600_AndReused()
    {
        using var dir = new TempDirectory();
        var first = AdminToken.Resolve(null, null, dir.Path);
        Assert.Equal("generated", first.Source);
        Assert.Equal(43, first.Value.Length);
        Assert.Matches("^[A-Za-z0-9_-]+$", first.Value);
        var file = Path.Combine(dir.Path, AdminToken.FileName);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        var second = AdminToken.Resolve(null, null, dir.Path);
        Assert.Equal(("file", first.Value), (second.Source, second.Value));
    }

    [Fact]
    public void OptionWinsOverEnvironment_WhichWinsOverFile()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, AdminToken.FileName), "from-file");
        Assert.Equal("from-option", AdminToken.Resolve("from-option", "from-env", dir.Path).Value);
        Assert.Equal("from-env", AdminToken.Resolve(null, "from-env", dir.Path).Value);
        Assert.Equal("from-file", AdminToken.Resolve(null, null, dir.Path).Value);
    }

    [Fact]
    public void GivenToken_IsNotWrittenToDisk()
    {
        using var dir = new TempDirectory();
        AdminToken.Resolve("given", null, dir.Path);
        Assert.False(File.Exists(Path.Combine(dir.Path, AdminToken.FileName)));
    }

    [Fact]
    public void Matches_OnlyTheExactToken()
    {
        var token = new AdminToken("secret-token");
        Assert.True(token.Matches("secret-token"));
        Assert.False(token.Matches("secret-tokem"));
        Assert.False(token.Matches("secret-token "));
        Assert.False(token.Matches(""));
        Assert.False(token.Matches(null));
    }
}
