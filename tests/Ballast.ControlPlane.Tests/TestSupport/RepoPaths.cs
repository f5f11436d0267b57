namespace Ballast.ControlPlane.Tests.TestSupport;

/// <summary>Paths in the source tree (found from the test binaries by walking up to Platform.sln).</summary>
internal static class RepoPaths
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Platform.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException($"Platform.sln not found above {AppContext.BaseDirectory}");
        }
    }

    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);
}
