using System.Net;
using System.Net.Sockets;
using System.Text;
using Ballast.DataPlane.Tests.Infrastructure;
using Ballast.DataPlane.Tests.ProxyProtocol;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Proxy;

/// <summary>
/// Issue 5 "adding, changing or removing a bind at run time does not drop connections on the other binds": an HTTP
/// keep-alive connection and a mode tcp session opened on untouched binds keep working across each change. Run on
/// the node default (eligible frontends on the HTTP/1.1 fast path) and on Kestrel + YARP.
/// </summary>
public abstract class BindChangeTestBase : ProxyEngineTestBase
{
    /// <summary>
    /// Adds a bind, then (when <paramref name="changeOptions"/>) turns accept-proxy on for another bind of the same
    /// frontend, then removes that bind; after each step the open connections on the untouched binds still work.
    /// </summary>
    protected async Task RunAsync(bool changeOptions)
    {
        var a = await StartBackendAsync("a");
        var echo = Track(TestTcpServer.Echo());
        var (kept, changed, added, tcpPort) = (Ports.GetFreePort(), Ports.GetFreePort(), Ports.GetFreePort(), Ports.GetFreePort());
        V1.Config Config(bool withAdded, bool changedAcceptsProxy, bool withChanged)
        {
            var web = Frontend("web", "app", kept);
            if (withChanged)
            {
                web.Binds.Add(new V1.Bind { Address = "127.0.0.1", Port = (uint)changed, AcceptProxy = changedAcceptsProxy });
            }

            if (withAdded)
            {
                web.Binds.Add(new V1.Bind { Address = "127.0.0.1", Port = (uint)added });
            }

            var db = Frontend("db", "pool", tcpPort);
            db.Mode = V1.Mode.Tcp;
            var pool = Backend("pool", Server("s1", echo.Port));
            pool.Mode = V1.Mode.Tcp;
            return NewConfig([web, db], [Backend("app", Server("a", a.Port)), pool]);
        }

        await ApplyOkAsync(1, Config(withAdded: false, changedAcceptsProxy: false, withChanged: true));
        using var http = new TcpClient();
        await http.ConnectAsync(IPAddress.Loopback, kept);
        var httpStream = http.GetStream();
        Assert.EndsWith("\r\n\r\na", await KeepAliveGetAsync(httpStream));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, tcpPort);
        var tcpStream = tcp.GetStream();
        Assert.Equal("one", await EchoAsync(tcpStream, "one"));

        // Add a bind: the new one serves, the open connections on the others go on.
        await ApplyOkAsync(2, Config(withAdded: true, changedAcceptsProxy: false, withChanged: true));
        Assert.Equal("200 a", await GetAsync(added));
        Assert.EndsWith("\r\n\r\na", await KeepAliveGetAsync(httpStream));
        Assert.Equal("two", await EchoAsync(tcpStream, "two"));

        if (changeOptions)
        {
            // Change a bind (accept-proxy on): it now wants a PROXY header; the others are untouched.
            await ApplyOkAsync(3, Config(withAdded: true, changedAcceptsProxy: true, withChanged: true));
            Assert.EndsWith("\r\n\r\na", await KeepAliveGetAsync(httpStream));
            Assert.Equal("three", await EchoAsync(tcpStream, "three"));
            Assert.Equal(string.Empty, await ProxyWire.SendAsync(changed, [])); // no PROXY header: closed without an answer
        }

        // Remove a bind: it stops accepting, the others go on.
        await ApplyOkAsync(4, Config(withAdded: true, changedAcceptsProxy: changeOptions, withChanged: false));
        Assert.True(await Eventually.WaitAsync(() => !CanConnect(changed), TimeSpan.FromSeconds(5)));
        Assert.EndsWith("\r\n\r\na", await KeepAliveGetAsync(httpStream));
        Assert.Equal("four", await EchoAsync(tcpStream, "four"));
        Assert.Equal("200 a", await GetAsync(added));
    }

    private static bool CanConnect(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task<string> EchoAsync(NetworkStream stream, string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text), timeout.Token);
        var buffer = new byte[text.Length];
        await stream.ReadExactlyAsync(buffer, timeout.Token);
        return Encoding.ASCII.GetString(buffer);
    }

    /// <summary>One GET on an open keep-alive connection; the response head and its Content-Length body.</summary>
    private static async Task<string> KeepAliveGetAsync(NetworkStream stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await stream.WriteAsync("GET / HTTP/1.1\r\nHost: test\r\n\r\n"u8.ToArray(), timeout.Token);
        var buffer = new byte[4096];
        var text = string.Empty;
        while (true)
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                return text; // closed: the caller's assertion shows what arrived
            }

            text += Encoding.ASCII.GetString(buffer, 0, read);
            var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var lengthLine = headEnd < 0 ? null : text[..headEnd].Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
            if (lengthLine is not null && text.Length - headEnd - 4 >= int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture))
            {
                return text;
            }
        }
    }
}

/// <summary>Bind changes on the node default: eligible frontends on the HTTP/1.1 fast path.</summary>
public class BindChangeIntegrationTests : BindChangeTestBase
{
    [Fact]
    public Task AddAndRemoveABind_KeepsConnectionsOnTheOtherBindsOpen() => RunAsync(changeOptions: false);

    // Turning accept-proxy on for one bind takes the frontend off the fast path: the open keep-alive connections of
    // its other binds are handed to the YARP path at their next request, not closed.
    [Fact]
    public Task ChangeABindsOptions_KeepsConnectionsOnTheOtherBindsOpen() => RunAsync(changeOptions: true);
}

/// <summary>Bind changes on Kestrel + YARP (fast path off).</summary>
public sealed class BindChangeYarpPathIntegrationTests : BindChangeTestBase
{
    protected override bool? HttpFastPath => false;

    [Fact]
    public Task AddAndRemoveABind_KeepsConnectionsOnTheOtherBindsOpen() => RunAsync(changeOptions: false);

    [Fact]
    public Task ChangeABindsOptions_KeepsConnectionsOnTheOtherBindsOpen() => RunAsync(changeOptions: true);
}
