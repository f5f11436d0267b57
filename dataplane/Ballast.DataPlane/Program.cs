using System.CommandLine;
using Ballast.DataPlane;
using Ballast.DataPlane.Agent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

NodeRuntimeTuning.Apply(); // before any socket exists (deploy/BENCHMARKS.md)

var controlPlane = new Option<string>("--control-plane")
{
    Description = "Control-plane gRPC address.",
    DefaultValueFactory = _ => NodeOptions.DefaultControlPlane,
};
var nodeId = new Option<string?>("--node-id") { Description = "Node identity (default: host name)." };
var labels = new Option<string?>("--labels")
{
    Description = "Node labels, k=v,k2=v2.",
    Arity = ArgumentArity.ZeroOrOne, // an empty value (e.g. an unset variable in a unit file) means no labels
};
var dataDir = new Option<string>("--data-dir")
{
    Description = "Directory of the snapshot cache.",
    DefaultValueFactory = _ => NodeOptions.DefaultDataDir,
};

var statsUrls = new Option<string>("--stats-urls")
{
    Description = "Local stats port URLs serving /metrics and /stats;csv (comma-separated), or none.",
    DefaultValueFactory = _ => NodeOptions.DefaultStatsUrls,
};

var root = new RootCommand("Ballast data-plane node: serves the configuration pushed by the control plane.")
{
    controlPlane,
    nodeId,
    labels,
    dataDir,
    statsUrls,
};

root.SetAction(async (parse, cancellationToken) =>
{
    if (!Uri.TryCreate(parse.GetValue(controlPlane), UriKind.Absolute, out var controlPlaneUri)
        || controlPlaneUri.Scheme is not ("http" or "https"))
    {
        await Console.Error.WriteLineAsync("--control-plane must be an absolute http:// or https:// URL").ConfigureAwait(false);
        return 2;
    }

    if (!NodeOptions.TryParseLabels(parse.GetValue(labels), out var parsedLabels, out var labelError))
    {
        await Console.Error.WriteLineAsync($"--labels: {labelError}").ConfigureAwait(false);
        return 2;
    }

    if (!NodeOptions.TryParseStatsUrls(parse.GetValue(statsUrls), out var parsedStatsUrls, out var statsError))
    {
        await Console.Error.WriteLineAsync($"--stats-urls: {statsError}").ConfigureAwait(false);
        return 2;
    }

    var id = parse.GetValue(nodeId);
    var options = new NodeOptions(
        controlPlaneUri,
        string.IsNullOrWhiteSpace(id) ? Environment.MachineName : id,
        parsedLabels,
        parse.GetValue(dataDir) ?? NodeOptions.DefaultDataDir)
    {
        StatsUrls = parsedStatsUrls,
    };

    var builder = Host.CreateApplicationBuilder();
    builder.Logging.ClearProviders();
    builder.Logging.AddSimpleConsole(console =>
    {
        console.SingleLine = true;
        console.TimestampFormat = "HH:mm:ss.fff ";
    });
    builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
    builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
    builder.Logging.AddFilter("Yarp", LogLevel.Warning);
    builder.Services.AddBallastDataPlane(options);
    builder.Services.AddSingleton<IControlPlaneConnector>(new GrpcControlPlaneConnector(options));
    builder.Services.AddHostedService<NodeAgent>();
    builder.Services.AddHostedService(sp => sp.GetRequiredService<Ballast.DataPlane.Stats.StatsHttpServer>());
    using var host = builder.Build();
    await host.RunAsync(cancellationToken).ConfigureAwait(false);
    return 0;
});

return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
