using System.Text.RegularExpressions;

namespace Ballast.IntegrationTests.Infrastructure;

/// <summary>
/// <c>ballast-controlplane</c> as a child process on its own ports and data directory. It prints
/// <c>Dashboard: &lt;url&gt;</c>, <c>Admin token: &lt;token&gt;</c> and <c>Node endpoint: &lt;url&gt;</c> when ready.
/// </summary>
internal sealed partial class ControlPlaneProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private ControlPlaneProcess(ChildProcess process, int httpPort, int nodePort, string token)
    {
        Process = process;
        HttpPort = httpPort;
        NodePort = nodePort;
        Token = token;
        Admin = new AdminClient(BaseUrl, token);
    }

    public ChildProcess Process { get; }

    public int HttpPort { get; }

    public int NodePort { get; }

    public string Token { get; }

    /// <summary>Dashboard and admin API.</summary>
    public Uri BaseUrl => new($"http://127.0.0.1:{HttpPort}/");

    /// <summary>Where nodes connect (gRPC, h2c).</summary>
    public string NodeUrl => $"http://127.0.0.1:{NodePort}";

    public AdminClient Admin { get; }

    /// <summary>Starts the control plane and waits until it printed its admin token and answers the API.</summary>
    public static async Task<ControlPlaneProcess> StartAsync(string dataDir, string logDir, int httpPort, int nodePort, string name = "controlplane")
    {
        Directory.CreateDirectory(dataDir);
        var child = ChildProcess.Start(
            name,
            BuildOutputs.ControlPlane,
            ["--urls", $"http://127.0.0.1:{httpPort}", "--node-urls", $"http://127.0.0.1:{nodePort}", "--data-dir", dataDir],
            Path.Combine(logDir, name + ".log"),
            dataDir);
        try
        {
            var token = (await child.WaitForLineAsync(TokenLine(), StartTimeout)).Groups["token"].Value;
            var cp = new ControlPlaneProcess(child, httpPort, nodePort, token);
            await Wait.UntilAsync(async () => (await cp.Admin.GetNodesAsync()) is not null, StartTimeout, "the admin API to answer");
            return cp;
        }
        catch
        {
            child.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Admin.Dispose();
        Process.Dispose();
    }

    [GeneratedRegex(@"Admin token:\s*(?<token>\S+)")]
    private static partial Regex TokenLine();
}
