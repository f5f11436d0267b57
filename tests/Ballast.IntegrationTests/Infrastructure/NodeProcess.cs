namespace Ballast.IntegrationTests.Infrastructure;

/// <summary><c>ballast-node</c> as a child process.</summary>
internal static class NodeProcess
{
    /// <summary>Starts a node connecting to <paramref name="controlPlaneNodeUrl"/>.</summary>
    public static ChildProcess Start(string nodeId, string controlPlaneNodeUrl, string dataDir, string logDir)
    {
        Directory.CreateDirectory(dataDir);
        return ChildProcess.Start(
            nodeId,
            BuildOutputs.Node,
            ["--control-plane", controlPlaneNodeUrl, "--node-id", nodeId, "--labels", "env=test", "--data-dir", dataDir],
            Path.Combine(logDir, nodeId + ".log"),
            dataDir);
    }
}
