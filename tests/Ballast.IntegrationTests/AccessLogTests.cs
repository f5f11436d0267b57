using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Ballast.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Ballast.IntegrationTests;

/// <summary>Access logs configured through the control plane, written by the node process.</summary>
public sealed class AccessLogTests(ITestOutputHelper output)
{
    [Fact]
    public Task StdoutRawLog_WithOptionHttplog_PrintsHttplogLineOnNodeStdout() => BallastCluster.RunAsync(output, async cluster =>
    {
        await cluster.PutDemoConfigAsync();
        await cluster.Admin.PutAsync($"frontends/{BallastCluster.FrontendName}", new
        {
            name = BallastCluster.FrontendName,
            mode = "http",
            binds = new[] { $"127.0.0.1:{cluster.ProxyPort}" },
            defaultBackend = BallastCluster.BackendName,
            logs = new[] { "stdout format raw daemon" },
            optionHttplog = true,
        });
        await cluster.PublishAndWaitSyncedAsync("access log to stdout");
        await cluster.WaitForProxyAsync();

        IPEndPoint? client = null;
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, cluster.ProxyPort, cancellationToken);
                client = (IPEndPoint)socket.LocalEndPoint!;
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        var path = $"/logged/{Guid.NewGuid():N}";
        using var response = await http.GetAsync(new Uri(cluster.ProxyUrl, path));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var server = (await response.Content.ReadAsStringAsync()).Trim();

        // HAProxy httplog: %ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs %{+Q}r
        var line = new Regex(
            $@"\[{BallastCluster.NodeId} out\] {Regex.Escape(client!.Address.ToString())}:{client.Port} " +
            @"\[\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2}\.\d{3}\] " +
            $@"{BallastCluster.FrontendName} {BallastCluster.BackendName}/{Regex.Escape(server)} " +
            @"\d+/\d+/\d+/\d+/\d+ 200 \d+ - - ---- \d+/\d+/\d+/\d+/\d+ \d+/\d+ +(?:\{[^}]*\} +)*" +
            $@"""GET {Regex.Escape(path)} HTTP/1\.1""$");
        var match = await cluster.Node!.WaitForLineAsync(line, TimeSpan.FromSeconds(10));
        cluster.Log("access log line: " + match.Value);
    });
}
