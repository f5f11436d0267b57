using System.CommandLine;

namespace Ballast.ControlPlane.Hosting;

/// <summary>The <c>ballast-controlplane</c> command line.</summary>
internal static class ControlPlaneCommand
{
    /// <summary>Builds the root command; its action runs the control plane until Ctrl-C / SIGTERM.</summary>
    public static RootCommand Create(TextWriter output, TextWriter error)
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Dashboard and admin API URLs, ';'-separated.",
            DefaultValueFactory = _ => ControlPlaneOptions.DefaultUrls,
        };
        var nodeUrls = new Option<string>("--node-urls")
        {
            Description = "Node gRPC URLs (HTTP/2 cleartext), ';'-separated.",
            DefaultValueFactory = _ => ControlPlaneOptions.DefaultNodeUrls,
        };
        var dataDir = new Option<string>("--data-dir")
        {
            Description = "Folder of the database and the generated admin token (created when missing).",
            DefaultValueFactory = _ => "./data",
        };
        var adminToken = new Option<string?>("--admin-token")
        {
            Description = $"Admin API token. Default: ${ControlPlaneOptions.AdminTokenVariable}, else generated once and kept in <data-dir>/{AdminToken.FileName}.",
        };

        var root = new RootCommand("Ballast control plane: stores the configuration, streams versions to data-plane nodes, serves the dashboard and admin API.")
        {
            urls, nodeUrls, dataDir, adminToken,
        };
        root.SetAction(async (parse, cancellationToken) =>
        {
            var options = new ControlPlaneOptions
            {
                Urls = parse.GetValue(urls)!,
                NodeUrls = parse.GetValue(nodeUrls)!,
                DataDir = parse.GetValue(dataDir)!,
                AdminToken = parse.GetValue(adminToken),
            };
            return await RunAsync(options, output, error, cancellationToken);
        });
        return root;
    }

    /// <summary>Runs the control plane, printing the lines start-up scripts parse, until the host stops.</summary>
    public static async Task<int> RunAsync(ControlPlaneOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        WebApplication app;
        try
        {
            app = ControlPlaneApp.Build(options);
        }
        catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"ballast-controlplane: {ex.Message}");
            return 2;
        }

        await using (app)
        {
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or System.Data.Common.DbException)
            {
                await error.WriteLineAsync($"ballast-controlplane: could not start: {ex.Message}");
                return 1;
            }

            var endpoints = ControlPlaneApp.GetEndpoints(app);
            await output.WriteLineAsync($"Dashboard: {endpoints.DashboardUrl}");
            await output.WriteLineAsync($"Admin token: {ControlPlaneApp.GetAdminToken(app)}");
            await output.WriteLineAsync($"Node endpoint: {endpoints.NodeUrl}");
            await output.FlushAsync(cancellationToken);
            await app.WaitForShutdownAsync(CancellationToken.None);
        }

        return 0;
    }
}
