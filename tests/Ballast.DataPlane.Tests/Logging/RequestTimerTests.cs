using System.Net;
using System.Net.Sockets;
using System.Text;
using Ballast.DataPlane.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Logging;

/// <summary>
/// HAProxy's receive timers (configuration.txt 8.4) on the YARP path (this class) and the fast path
/// (<see cref="FastPathRequestTimerTests"/>): <c>%Ti</c> idle before the first byte of a request, <c>%TR</c> first
/// byte to the end of the headers, <c>%Tq</c> = Th + Ti + TR, <c>%Ta</c> from TR's start. Only lower bounds on
/// wall-clock time are asserted.
/// </summary>
public class RequestTimerTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ballast-timer-tests", Guid.NewGuid().ToString("N"));
    private TestNode _node = null!;
    private TestBackend _backend = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _node = TestNode.Create(httpFastPath: FastPath);
        _backend = await TestBackend.StartAsync("a");
    }

    /// <summary>Whether the frontend is served by the fast path.</summary>
    protected virtual bool FastPath => false;

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        await _backend.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task HeadersSentInTwoParts_LogTRAtLeastThePause_AndKeepAliveIdleAsTi()
    {
        var port = Ports.GetFreePort();
        var file = Path.Combine(_dir, "access.log");
        var web = Frontend("web", "app", port);
        web.Logs.Add(new V1.LogTarget { Address = file, Format = V1.LogFormat.Raw });
        web.LogFormat = "%TR %Ti %Tq %Ta %Tt %Th %HP";
        var applied = await _node.Engine.ApplyAsync(1, NewConfig([web], [Backend("app", Server("a", _backend.Port))]), CancellationToken.None);
        Assert.True(applied.Applied, applied.Error);
        var selector = _node.Services.GetRequiredService<Ballast.DataPlane.Proxy.FastPath.Http1FastPath>().Selector;
        Assert.Equal(FastPath, selector.UsesFastPath(_node.Engine.Current.Frontends.Single()));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
        await Task.Delay(300, timeout.Token); // idle before the first byte: Ti (the node's clock starts a little after the accept)
        await SendAsync(socket, "GET /first HTTP/1.1\r\nHost: x\r\n", timeout.Token);
        await Task.Delay(300, timeout.Token); // the rest of the headers comes later: TR
        await SendAsync(socket, "X-Part: two\r\n\r\n", timeout.Token);
        Assert.Equal("200", await ReadResponseStatusAsync(socket, timeout.Token));

        await Task.Delay(200, timeout.Token); // keep-alive idle before the second request: its Ti
        await SendAsync(socket, "GET /second HTTP/1.1\r\nHost: x\r\n\r\n", timeout.Token);
        Assert.Equal("200", await ReadResponseStatusAsync(socket, timeout.Token));

        Assert.True(await Eventually.WaitAsync(() => ReadLines(file).Length >= 2, TimeSpan.FromSeconds(10)), "no log lines");
        var lines = ReadLines(file);
        var first = Timers(lines.Single(l => l.EndsWith("/first", StringComparison.Ordinal)));
        // Lower bounds with a margin for timer granularity and scheduling (never an upper bound).
        Assert.True(first.TR >= 250, $"TR {first.TR} far below the 300 ms pause inside the headers: {lines[0]}");
        Assert.True(first.Ti >= 200, $"Ti {first.Ti} far below the 300 ms before the first byte: {lines[0]}");
        Assert.Equal(first.Ti + first.TR, first.Tq);
        Assert.True(first.Ta >= first.TR, lines[0]);
        Assert.True(first.Tt >= first.Ta + first.Ti, lines[0]);
        Assert.Equal(0, first.Th);

        var second = Timers(lines.Single(l => l.EndsWith("/second", StringComparison.Ordinal)));
        Assert.True(second.Ti >= 150, $"Ti {second.Ti} far below the 200 ms keep-alive pause: {lines[1]}");
        Assert.True(second.TR >= 0, lines[1]);
    }

    private static (long TR, long Ti, long Tq, long Ta, long Tt, long Th) Timers(string line)
    {
        var v = line.Split(' ').Take(6).Select(long.Parse).ToArray();
        return (v[0], v[1], v[2], v[3], v[4], v[5]);
    }

    private static async Task SendAsync(Socket socket, string text, CancellationToken cancellationToken) =>
        await socket.SendAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None, cancellationToken);

    private static async Task<string> ReadResponseStatusAsync(Socket socket, CancellationToken cancellationToken)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        while (true)
        {
            var text = Encoding.Latin1.GetString(received.ToArray());
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var length = text[..end].Split("\r\n").Select(h => h.Split(':', 2))
                    .Where(h => h.Length == 2 && h[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                    .Select(h => int.Parse(h[1].Trim(), System.Globalization.CultureInfo.InvariantCulture)).Single();
                if (received.Count >= end + 4 + length)
                {
                    return text.Split(' ')[1];
                }
            }

            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            Assert.True(n > 0, "connection closed before the end of the response");
            received.AddRange(buffer.AsSpan(0, n).ToArray());
        }
    }

    private static string[] ReadLines(string file)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (FileNotFoundException)
        {
            return [];
        }
    }
}

/// <summary>The receive timers of <see cref="RequestTimerTests"/> on the HTTP/1.1 fast path.</summary>
public sealed class FastPathRequestTimerTests : RequestTimerTests
{
    /// <inheritdoc />
    protected override bool FastPath => true;
}
