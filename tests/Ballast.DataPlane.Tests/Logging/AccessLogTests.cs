using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Ballast.DataPlane.Logging;
using Ballast.DataPlane.Stats;
using Ballast.DataPlane.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Logging;

/// <summary>Access logs (option httplog/tcplog, log-format) to files and syslog over UDP, with real traffic.</summary>
public sealed partial class AccessLogTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _disposables = [];
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(20) };
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ballast-log-tests", Guid.NewGuid().ToString("N"));
    private TestNode _node = null!;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _node = TestNode.Create();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _node.DisposeAsync();
        foreach (var disposable in _disposables)
        {
            await disposable.DisposeAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task HttpLog_ToFile_WritesOneParsableLinePerRequest()
    {
        var a = await TestBackend.StartAsync("a");
        _disposables.Add(a);
        var port = Ports.GetFreePort();
        var closed = Ports.GetClosedPort();
        var file = Path.Combine(_dir, "access.log");
        var web = Frontend("web", "app", port);
        web.Logs.Add(new V1.LogTarget { Address = file, Format = V1.LogFormat.Raw });
        web.OptionHttplog = true;
        var down = Frontend("down", "gone", Ports.GetFreePort());
        down.Logs.Add(new V1.LogTarget { Address = file, Format = V1.LogFormat.Raw });
        down.OptionHttplog = true;
        var result = await _node.Engine.ApplyAsync(
            1,
            NewConfig([web, down], [Backend("app", Server("a", a.Port)), Backend("gone", Server("x", closed))]),
            CancellationToken.None);
        Assert.True(result.Applied, result.Error);

        using (await _client.GetAsync($"http://127.0.0.1:{port}/hello?delayMs=50"))
        {
        }

        using (await _client.GetAsync($"http://127.0.0.1:{port}/missing?status=404"))
        {
        }

        using (await _client.GetAsync($"http://127.0.0.1:{down.Binds[0].Port}/x"))
        {
        }

        Assert.True(await Eventually.WaitAsync(() => ReadLines(file).Length >= 3, TimeSpan.FromSeconds(10)));
        var lines = ReadLines(file);
        var ok = HttpLogLine().Match(lines.Single(l => l.Contains("/hello", StringComparison.Ordinal)));
        Assert.True(ok.Success, lines[0]);
        Assert.Equal("127.0.0.1", ok.Groups["ci"].Value);
        Assert.Equal("web", ok.Groups["ft"].Value);
        Assert.Equal("app/a", ok.Groups["bs"].Value);
        Assert.Equal("200", ok.Groups["st"].Value);
        Assert.Equal("----", ok.Groups["tsc"].Value);
        Assert.Equal("GET /hello?delayMs=50 HTTP/1.1", ok.Groups["r"].Value);
        Assert.InRange(int.Parse(ok.Groups["tr"].Value), 40, 5000); // Tr: the server waited 50 ms
        Assert.True(int.Parse(ok.Groups["ta"].Value) >= int.Parse(ok.Groups["tr"].Value));
        Assert.True(int.Parse(ok.Groups["b"].Value) > 0);
        Assert.True(DateTime.TryParseExact(ok.Groups["date"].Value, "dd/MMM/yyyy:HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _));

        var notFound = HttpLogLine().Match(lines.Single(l => l.Contains("/missing", StringComparison.Ordinal)));
        Assert.Equal("404", notFound.Groups["st"].Value);

        var refused = HttpLogLine().Match(lines.Single(l => l.Contains(" down ", StringComparison.Ordinal)));
        Assert.True(refused.Success, lines[2]);
        Assert.Equal("503", refused.Groups["st"].Value);
        Assert.Equal("SC--", refused.Groups["tsc"].Value); // server connection refused, as HAProxy
        Assert.Equal("3", refused.Groups["rc"].Value); // retries 3
    }

    [Fact]
    public async Task Syslog_OverUdp_SendsRfc5424AndRfc3164Lines()
    {
        var a = await TestBackend.StartAsync("a");
        _disposables.Add(a);
        using var rfc5424 = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        using var rfc3164 = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        rfc5424.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        rfc3164.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = Ports.GetFreePort();
        var web = Frontend("web", "app", port);
        web.Logs.Add(new V1.LogTarget { Address = $"127.0.0.1:{((IPEndPoint)rfc5424.LocalEndPoint!).Port}", Format = V1.LogFormat.Rfc5424, Facility = "local0" });
        web.Logs.Add(new V1.LogTarget { Address = $"udp@127.0.0.1:{((IPEndPoint)rfc3164.LocalEndPoint!).Port}", Format = V1.LogFormat.Rfc3164, Facility = "local7", Level = "notice" });
        web.LogFormat = "%ci %ft %b/%s %ST %{+Q}r";
        var result = await _node.Engine.ApplyAsync(1, NewConfig([web], [Backend("app", Server("a", a.Port))]), CancellationToken.None);
        Assert.True(result.Applied, result.Error);
        using (await _client.GetAsync($"http://127.0.0.1:{port}/syslog"))
        {
        }

        var line5424 = await ReceiveAsync(rfc5424);
        var line3164 = await ReceiveAsync(rfc3164);

        // RFC 5424: <PRI>VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP STRUCTURED-DATA SP MSG
        var m = Regex.Match(line5424, @"^<(?<pri>\d{1,3})>1 (?<ts>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}[+-]\d\d:\d\d) (?<host>\S+) ballast (?<pid>\d+) - - (?<msg>.*)$");
        Assert.True(m.Success, line5424);
        Assert.Equal("134", m.Groups["pri"].Value); // local0 (16) * 8 + info (6)
        Assert.True(DateTimeOffset.TryParse(m.Groups["ts"].Value, System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.Equal(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), m.Groups["pid"].Value);
        Assert.Equal("127.0.0.1 web app/a 200 \"GET /syslog HTTP/1.1\"", m.Groups["msg"].Value);

        // RFC 3164: <PRI>Mmm dd hh:mm:ss HOSTNAME TAG[pid]: MSG
        var b = Regex.Match(line3164, @"^<(?<pri>\d{1,3})>(?<ts>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) (?<host>\S+) ballast\[(?<pid>\d+)\]: (?<msg>.*)$");
        Assert.True(b.Success, line3164);
        Assert.Equal("189", b.Groups["pri"].Value); // local7 (23) * 8 + notice (5)
        Assert.Equal("127.0.0.1 web app/a 200 \"GET /syslog HTTP/1.1\"", b.Groups["msg"].Value);
    }

    [Fact]
    public async Task TcpLog_ToFile_WritesOneLinePerConnection()
    {
        await using var server = TestTcpServer.Echo();
        var port = Ports.GetFreePort();
        var file = Path.Combine(_dir, "tcp.log");
        var front = Frontend("db", "pool", port);
        front.Mode = V1.Mode.Tcp;
        front.OptionTcplog = true;
        front.Logs.Add(new V1.LogTarget { Address = file, Format = V1.LogFormat.Raw });
        var pool = Backend("pool", Server("s1", server.Port));
        pool.Mode = V1.Mode.Tcp;
        var result = await _node.Engine.ApplyAsync(1, NewConfig([front], [pool]), CancellationToken.None);
        Assert.True(result.Applied, result.Error);
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            var stream = client.GetStream();
            await stream.WriteAsync("ping"u8.ToArray());
            var buffer = new byte[4];
            await stream.ReadExactlyAsync(buffer);
            client.Client.Shutdown(SocketShutdown.Send);
            while (await stream.ReadAsync(buffer) > 0)
            {
            }
        }

        Assert.True(await Eventually.WaitAsync(() => ReadLines(file).Length >= 1, TimeSpan.FromSeconds(10)));
        var lines = ReadLines(file);
        var m = Regex.Match(lines[0], @"^127\.0\.0\.1:\d+ \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d\.\d{3}\] db pool/s1 (?<tw>-?\d+)/(?<tc>-?\d+)/(?<tt>\d+) (?<b>\d+) (?<ts>..) \d+/\d+/\d+/\d+/(?<rc>\d+) \d+/\d+$");
        Assert.True(m.Success, lines[0]);
        Assert.Equal("4", m.Groups["b"].Value);
        Assert.Equal("--", m.Groups["ts"].Value);
        Assert.Equal("0", m.Groups["rc"].Value);
        Assert.True(int.Parse(m.Groups["tc"].Value) >= 0);
    }

    [Fact]
    public async Task FullQueue_DropsAndCountsWithoutBlocking()
    {
        var writer = new AccessLogWriter(TimeProvider.System, NullLogger<AccessLogWriter>.Instance, capacity: 4);
        var gate = new TaskCompletionSource();
        writer.Gate = gate.Task; // the drain stalls: the queue fills
        var counters = new StatCounters();
        var frontend = new V1.Frontend { Name = "web", OptionHttplog = true };
        frontend.Logs.Add(new V1.LogTarget { Address = Path.Combine(_dir, "full.log"), Format = V1.LogFormat.Raw });
        var settings = AccessLogSettings.Create(frontend)!;
        var entry = new AccessLogEntry { Settings = settings, Frontend = "web", Backend = "app", Server = "a", Termination = "--" };
        var watch = Stopwatch.StartNew();
        var accepted = 0;
        for (var i = 0; i < 10_000; i++)
        {
            accepted += writer.TryEnqueue(entry, counters) ? 1 : 0;
        }

        watch.Stop();
        Assert.InRange(accepted, 4, 5); // capacity, plus the one the stalled drain took
        Assert.Equal(10_000 - accepted, writer.Dropped);
        Assert.Equal(writer.Dropped, counters.DroppedLogs);
        Assert.True(watch.ElapsedMilliseconds < 2000, $"enqueueing blocked: {watch.ElapsedMilliseconds} ms");
        gate.SetResult();
        await writer.DisposeAsync();
        Assert.Equal(accepted, File.ReadAllLines(Path.Combine(_dir, "full.log")).Length);
    }

    [Fact]
    public void LogTargets_AreValidated()
    {
        var frontend = new V1.Frontend { Name = "web" };
        frontend.Logs.Add(new V1.LogTarget { Address = "127.0.0.1:99999" });
        frontend.Logs.Add(new V1.LogTarget { Address = "stdout", Facility = "local9" });
        frontend.Logs.Add(new V1.LogTarget { Address = "syslog.example.com", Format = V1.LogFormat.Rfc5424 });
        frontend.LogFormat = "%ci %[src]";
        var errors = AccessLogSettings.Validate(frontend).ToList();
        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.Contains("port", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("local9", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("log-format", StringComparison.Ordinal));
    }

    [Fact]
    public void LogFormat_CollapsesEmptyVariablesLikeHaproxy()
    {
        Assert.True(LogFormatTemplate.TryParse(AccessLogSettings.HttpLogFormat, out var template, out var error), error);
        var entry = new AccessLogEntry
        {
            Settings = null!,
            ClientAddress = IPAddress.Parse("10.0.0.1"),
            ClientPort = 4242,
            AcceptTime = new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero),
            RequestTime = new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero),
            Frontend = "web",
            Backend = "app",
            Server = "a",
            Times = new RequestTimes(0, 1, 20, 25),
            Status = 200,
            BytesSent = 321,
            Termination = "--",
            ActiveConnections = 3,
            FrontendConnections = 2,
            BackendConnections = 1,
            ServerConnections = 1,
            Method = "GET",
            Target = "/x",
            Protocol = "HTTP/1.1",
        };
        var line = new StringBuilder();
        template!.Render(entry, line, "host");
        var local = entry.RequestTime.ToLocalTime().ToString("dd/MMM/yyyy:HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"10.0.0.1:4242 [{local}] web app/a 0/0/1/20/25 200 321 - - ---- 3/2/1/1/0 0/0 \"GET /x HTTP/1.1\"", line.ToString());
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

    private static async Task<string> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return Encoding.UTF8.GetString(buffer, 0, received);
    }

    [GeneratedRegex("""^(?<ci>[\d.]+):(?<cp>\d+) \[(?<date>[^\]]+)\] (?<ft>\S+) (?<bs>\S+/\S+) (?<trq>-?\d+)/(?<tw>-?\d+)/(?<tc>-?\d+)/(?<tr>-?\d+)/(?<ta>\d+) (?<st>\d{3}) (?<b>\d+) - - (?<tsc>\S{4}) \d+/\d+/\d+/\d+/(?<rc>\d+) \d+/\d+ "(?<r>[^"]*)"$""")]
    private static partial Regex HttpLogLine();
}
