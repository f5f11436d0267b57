using Ballast.DataPlane.Tests.Infrastructure;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Rules;

/// <summary>A node with real echo backends on 127.0.0.1 and a client that neither follows redirects nor keeps cookies.</summary>
public abstract class RulesIntegrationTestBase : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _disposables = [];

    protected HttpClient Client { get; } = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false })
    {
        Timeout = TimeSpan.FromSeconds(20),
    };

    private protected TestNode Node { get; private set; } = null!;

    protected ManualTimeProvider Time { get; } = new();

    protected virtual bool UseManualTime => false;

    public Task InitializeAsync()
    {
        Node = TestNode.Create(timeProvider: UseManualTime ? Time : null);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Node.DisposeAsync();
        foreach (var disposable in _disposables)
        {
            await disposable.DisposeAsync();
        }
    }

    protected async Task<EchoBackend> StartBackendAsync(string name)
    {
        var backend = await EchoBackend.StartAsync(name);
        _disposables.Add(backend);
        return backend;
    }

    protected async Task ApplyOkAsync(V1.Config config, ulong version = 1)
    {
        var result = await Node.Engine.ApplyAsync(version, config, CancellationToken.None);
        Assert.True(result.Applied, result.Error);
    }

    protected async Task<HttpResponseMessage> SendAsync(int port, string path, Action<HttpRequestMessage>? configure = null, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, $"http://127.0.0.1:{port}{path}");
        configure?.Invoke(request);
        return await Client.SendAsync(request);
    }

    protected async Task<string> GetAsync(int port, string path, Action<HttpRequestMessage>? configure = null, HttpMethod? method = null)
    {
        using var response = await SendAsync(port, path, configure, method);
        return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
    }
}
