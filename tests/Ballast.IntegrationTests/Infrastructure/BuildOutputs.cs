using System.Reflection;

namespace Ballast.IntegrationTests.Infrastructure;

/// <summary>
/// Paths of the programs under test. The test project references them (ReferenceOutputAssembly=false), so they
/// are built with the same Configuration next to their own projects.
/// </summary>
internal static class BuildOutputs
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    /// <summary>Build configuration of this test assembly (Debug or Release).</summary>
    public static string Configuration { get; } =
        typeof(BuildOutputs).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>The repository root (the folder holding Platform.sln).</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>ballast-controlplane.dll.</summary>
    public static string ControlPlane => Dll("controlplane/Ballast.ControlPlane", "ballast-controlplane");

    /// <summary>ballast-node.dll.</summary>
    public static string Node => Dll("dataplane/Ballast.DataPlane", "ballast-node");

    /// <summary>ballast-demo-backend.dll.</summary>
    public static string DemoBackend => Dll("deploy/Ballast.DemoBackend", "ballast-demo-backend");

    /// <summary>The dotnet host that runs this test (so children use the same runtime).</summary>
    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static string Dll(string projectDir, string assemblyName)
    {
        var path = Path.Combine(RepositoryRoot, projectDir, "bin", Configuration, "net10.0", assemblyName + ".dll");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"build output not found; build the solution with -c {Configuration} first", path);
        }

        return path;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Platform.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Platform.sln not found above " + AppContext.BaseDirectory);
    }
}
