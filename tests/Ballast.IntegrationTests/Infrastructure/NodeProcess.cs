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
            // The stats port on a free port: the default 127.0.0.1:8404 may be taken by another node on this machine.
            ["--control-plane", controlPlaneNodeUrl, "--node-id", nodeId, "--labels", "env=test", "--data-dir", dataDir,
                "--stats-urls", $"http://127.0.0.1:{FreePort.Next()}"],
            Path.Combine(logDir, nodeId + ".log"),
            dataDir);
    }
}
