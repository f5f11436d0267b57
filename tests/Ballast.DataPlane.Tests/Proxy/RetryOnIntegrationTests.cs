using System.Net;
using System.Net.Sockets;
using System.Text;
using Ballast.DataPlane.Tests.Infrastructure;
using static Ballast.DataPlane.Tests.Infrastructure.ConfigBuilder;

namespace Ballast.DataPlane.Tests.Proxy;

/// <summary>
/// Issue 5 <c>retry-on empty-response</c> and <c>retry-on response-timeout</c> with real servers on loopback: a
/// server that closes without answering or never answers costs an idempotent request nothing, a POST is not retried.
/// </summary>
public sealed class RetryOnIntegrationTests : ProxyEngineTestBase
{
    /// <summary>Reads a request head, then closes without a byte (an empty response).</summary>
    private static TestTcpServer ClosesWithoutAnswer() => TestTcpServer.Start(async (socket, token) =>
    {
        await ReadHeadAsync(socket, token);
        socket.Close();
    });

    /// <summary>Reads a request head, then stays silent until the proxy gives up.</summary>
    private static TestTcpServer NeverAnswers() => TestTcpServer.Start(async (socket, token) =>
    {
        await ReadHeadAsync(socket, token);
        var buffer = new byte[1024];
        while (await socket.ReceiveAsync(buffer, SocketFlags.None, token) > 0)
        {
        }
    });

    [Theory]
    [InlineData("empty-response", false)]
    [InlineData("response-timeout", true)]
    public async Task RetryOn_RetriesIdempotentRequestsOnAnotherServer_NotPosts(string keyword, bool silent)
    {
        var bad = Track(silent ? NeverAnswers() : ClosesWithoutAnswer());
        var good = await StartBackendAsync("good");
        var port = Ports.GetFreePort();
        var backend = Backend("app", Server("bad", bad.Port), Server("good", good.Port));
        backend.RetryOn.Add(keyword);
        // Short only where the timeout is the failure under test: a slow start of the closing server under a loaded
        // test run must not turn an empty response into a 504.
        backend.TimeoutServerMs = silent ? 300u : 5000u;
        await ApplyOkAsync(1, NewConfig([Frontend("web", "app", port)], [backend]));

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("200 good", await GetAsync(port)); // round robin sends every other one to 'bad' first
        }

        Assert.True(bad.Connections >= 2, $"'bad' got {bad.Connections} connections");
        var posts = new List<HttpStatusCode>();
        for (var i = 0; i < 2; i++)
        {
            using var post = await Client.PostAsync($"http://127.0.0.1:{port}/", new StringContent("x"));
            posts.Add(post.StatusCode);
        }

        Assert.Contains(posts, s => (int)s >= 500); // the POST that met 'bad' is not retried
        Assert.True(Row("app", "BACKEND").Wretr >= 2);
    }

    private static async Task ReadHeadAsync(Socket socket, CancellationToken token)
    {
        var buffer = new byte[4096];
        var text = new StringBuilder();
        while (!text.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, token);
            if (n == 0)
            {
                return;
            }

            text.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
    }
}
