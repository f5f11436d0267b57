using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Ballast.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Ballast.IntegrationTests;

/// <summary>The node out of file descriptors (accept fails with EMFILE), as when `ulimit -n` is too low for the load.</summary>
public sealed class DescriptorLimitTests(ITestOutputHelper output)
{
    [Fact]
    public Task AcceptFailsForLackOfDescriptors_ClientsWaitingInTheBacklogAreServedOnceDescriptorsAreBack() =>
        BallastCluster.RunAsync(output, async cluster =>
        {
            // Checks slow to mark a server DOWN: while descriptors run out, checks cannot open sockets either (SOCKERR),
            // and this test is about the accept retry, not about servers leaving the farm.
            await cluster.PutDemoConfigAsync(interMs: 2000, rise: 1, fall: 5);
            await cluster.PublishAndWaitSyncedAsync("descriptor limit");
            await cluster.WaitForProxyAsync();
            var pid = cluster.Node!.Pid;
            var open = Directory.GetFiles($"/proc/{pid}/fd").Length;
            var original = SoftLimit(pid);

            // Room for one more descriptor: the first client is accepted, the next ones wait in the backlog.
            await PrlimitAsync(pid, open + 1);
            var clients = new List<Socket>();
            try
            {
                for (var i = 0; i < 4; i++)
                {
                    var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    await client.ConnectAsync(IPAddress.Loopback, cluster.ProxyPort); // completes from the kernel's backlog
                    clients.Add(client);
                }

                await Task.Delay(500); // the node tried, failed with EMFILE, and gets no new edge for the waiting clients
                await PrlimitAsync(pid, original);

                // No new client arrives: only the node's own retry can accept the waiting ones.
                foreach (var client in clients)
                {
                    await client.SendAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), SocketFlags.None);
                }

                foreach (var client in clients)
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                    var response = await ReadToEndAsync(client, timeout.Token);
                    Assert.StartsWith("HTTP/1.1 200", response);
                }
            }
            finally
            {
                await PrlimitAsync(pid, original);
                clients.ForEach(client => client.Dispose());
            }

            Assert.Contains("accept failed with errno 24", await File.ReadAllTextAsync(cluster.Node.LogPath));
        });

    /// <summary>The soft RLIMIT_NOFILE of <paramref name="pid"/> (from /proc/pid/limits).</summary>
    private static string SoftLimit(int pid) =>
        File.ReadAllLines($"/proc/{pid}/limits").Single(line => line.StartsWith("Max open files", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[3];

    /// <summary>Sets the soft RLIMIT_NOFILE of a running process (util-linux prlimit; the hard limit is left alone).</summary>
    private static Task PrlimitAsync(int pid, int limit) => PrlimitAsync(pid, limit.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static async Task PrlimitAsync(int pid, string limit)
    {
        using var process = Process.Start(new ProcessStartInfo("prlimit", $"--pid {pid} --nofile={limit}:")
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"prlimit failed: {error}");
    }

    private static async Task<string> ReadToEndAsync(Socket socket, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken)) > 0)
        {
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return text.ToString();
    }
}
