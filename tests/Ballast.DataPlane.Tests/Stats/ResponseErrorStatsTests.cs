using System.Net.Sockets;
using System.Text;
using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;

namespace Ballast.DataPlane.Tests.Stats;

/// <summary>
/// Issue 5 stats field <c>eresp</c>: a server that closes the connection without an answer gives the client a 502
/// and counts one response error on the server and its backend, as HAProxy (default <c>retry-on conn-failure</c>:
/// not retried). Runs on the node default (fast path); <see cref="ResponseErrorStatsYarpPathTests"/> on YARP.
/// </summary>
public class ResponseErrorStatsTests : ProxyEngineTestBase
{
    [Fact]
    public async Task ServerClosingWithoutAnswer_Is502_AndCountsEresp()
    {
        await using var mute = TestTcpServer.Start(async (socket, token) =>
        {
            var buffer = new byte[4096];
            var head = new StringBuilder();
            while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, token);
                if (n == 0)
                {
                    return;
                }

                head.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }

            socket.Close();
        });
        var port = Ports.GetFreePort();
        await ApplyOkAsync(1, NewConfig([Frontend("web", "app", port)], [Backend("app", Server("mute", mute.Port))]));

        Assert.StartsWith("502 ", await GetAsync(port));

        Assert.Equal(1UL, Row("app", "mute").Eresp);
        Assert.Equal(1UL, Row("app", "BACKEND").Eresp);
        Assert.Equal(0UL, Row("app", "mute").Econ); // it connected: not a connection error
        Assert.Equal(1UL, Row("web", "FRONTEND").Hrsp5Xx);
    }
}

/// <summary>The <c>eresp</c> test on Kestrel + YARP (fast path off).</summary>
public sealed class ResponseErrorStatsYarpPathTests : ResponseErrorStatsTests
{
    protected override bool? HttpFastPath => false;
}
