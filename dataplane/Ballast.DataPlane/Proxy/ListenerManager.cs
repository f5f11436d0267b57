using Ballast.DataPlane.Config;
using Microsoft.Extensions.Logging;

namespace Ballast.DataPlane.Proxy;

/// <summary>
/// Owns the open binds. An apply opens the binds it adds (<see cref="OpenAsync"/>) before the model swap, then
/// <see cref="Commit"/>s: new binds join the open set and binds no frontend uses anymore close gracefully in the
/// background (listening stops at once; in-flight requests get <see cref="CloseGracePeriod"/>). A bind that is
/// reopened while still closing waits for that close first. Calls are serialized by the apply lock.
/// </summary>
internal sealed partial class ListenerManager : IAsyncDisposable
{
    /// <summary>Time in-flight requests of a removed bind get before their connections are aborted.</summary>
    public static readonly TimeSpan CloseGracePeriod = TimeSpan.FromSeconds(10);

    private readonly RuntimeModelHolder _holder;
    private readonly ProxyRequestHandler _handler;
    private readonly TcpProxyHandler _tcp;
    private readonly IServiceProvider _services;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly FastPath.Http1FastPath? _fastPath;
    private readonly Microsoft.AspNetCore.Connections.IConnectionListenerFactory? _transport;
    private readonly Dictionary<BindEndpoint, BindListener> _open = [];
    private readonly Dictionary<BindEndpoint, Task> _closing = [];

    /// <summary>Creates the manager.</summary>
    /// <param name="holder">The served model, read by listeners.</param>
    /// <param name="handler">Request handler shared by all binds.</param>
    /// <param name="tcp">mode tcp connection handler shared by all binds.</param>
    /// <param name="services">Application services handed to Kestrel.</param>
    /// <param name="loggerFactory">Logger factory.</param>
    /// <param name="timeProvider">Clock.</param>
    /// <param name="fastPath">The HTTP/1.1 fast path for eligible mode http frontends; null = Kestrel + YARP only.</param>
    /// <param name="transport">The binds' transport; null = Kestrel's socket transport.</param>
    public ListenerManager(
        RuntimeModelHolder holder,
        ProxyRequestHandler handler,
        TcpProxyHandler tcp,
        IServiceProvider services,
        ILoggerFactory loggerFactory,
        TimeProvider timeProvider,
        FastPath.Http1FastPath? fastPath = null,
        Microsoft.AspNetCore.Connections.IConnectionListenerFactory? transport = null)
    {
        _fastPath = fastPath;
        _transport = transport;
        _holder = holder;
        _handler = handler;
        _tcp = tcp;
        _services = services;
        _loggerFactory = loggerFactory;
        _timeProvider = timeProvider;
        _logger = loggerFactory.CreateLogger<ListenerManager>();
    }

    /// <summary>Binds currently open.</summary>
    public IReadOnlyCollection<BindEndpoint> OpenEndpoints => _open.Keys;

    /// <summary>Whether <paramref name="endpoint"/> is open.</summary>
    /// <param name="endpoint">The bind.</param>
    public bool IsOpen(BindEndpoint endpoint) => _open.ContainsKey(endpoint);

    /// <summary>Opens a bind that is not open yet; it serves only after <see cref="Commit"/> and the swap.</summary>
    /// <param name="endpoint">The bind.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <exception cref="BindException">The bind failed.</exception>
    public async Task<BindListener> OpenAsync(BindEndpoint endpoint, CancellationToken cancellationToken)
    {
        if (_closing.Remove(endpoint, out var closing))
        {
            await closing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        var listener = await BindListener.StartAsync(
            new BindContext(endpoint, _holder), _handler, _tcp, _services, _loggerFactory, _timeProvider, cancellationToken, _fastPath, _transport).ConfigureAwait(false);
        LogBindOpened(_logger, endpoint.ToString());
        return listener;
    }

    /// <summary>Closes binds opened by a failed apply, immediately.</summary>
    /// <param name="opened">The binds.</param>
    public async Task AbandonAsync(IEnumerable<BindListener> opened)
    {
        foreach (var listener in opened)
        {
            await listener.StopAsync(new CancellationToken(canceled: true)).ConfigureAwait(false);
            LogBindClosed(_logger, listener.Context.Endpoint.ToString());
        }
    }

    /// <summary>Adds <paramref name="opened"/> and starts closing open binds not in <paramref name="wanted"/>.</summary>
    /// <param name="opened">Binds opened by this apply.</param>
    /// <param name="wanted">Every bind of the new model.</param>
    public void Commit(IEnumerable<BindListener> opened, IReadOnlySet<BindEndpoint> wanted)
    {
        foreach (var listener in opened)
        {
            _open[listener.Context.Endpoint] = listener;
        }

        foreach (var (endpoint, listener) in _open.ToArray())
        {
            if (wanted.Contains(endpoint))
            {
                continue;
            }

            _open.Remove(endpoint);
            _closing[endpoint] = CloseAsync(listener);
        }

        foreach (var (endpoint, task) in _closing.ToArray())
        {
            if (task.IsCompleted)
            {
                _closing.Remove(endpoint);
            }
        }
    }

    /// <summary>Sets each open bind's HTTP timeouts from the frontend that owns it in <paramref name="model"/>.</summary>
    /// <param name="model">The model just swapped in.</param>
    public void ApplyHttpTimeouts(Config.RuntimeModel model)
    {
        foreach (var (endpoint, listener) in _open)
        {
            if (model.FrontendsByBind.TryGetValue(endpoint, out var frontend))
            {
                listener.ApplyHttpTimeouts(frontend.Options);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        var closing = new List<Task>(_closing.Values);
        foreach (var listener in _open.Values)
        {
            closing.Add(CloseAsync(listener, TimeSpan.FromSeconds(5)));
        }

        _open.Clear();
        _closing.Clear();
        await Task.WhenAll(closing).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private Task CloseAsync(BindListener listener) => CloseAsync(listener, CloseGracePeriod);

    private async Task CloseAsync(BindListener listener, TimeSpan grace)
    {
        using var graceTimeout = new CancellationTokenSource(grace, _timeProvider);
        try
        {
            await listener.StopAsync(graceTimeout.Token).ConfigureAwait(false);
            LogBindClosed(_logger, listener.Context.Endpoint.ToString());
        }
        catch (Exception ex)
        {
            LogBindCloseFailed(_logger, ex, listener.Context.Endpoint.ToString());
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bind {Endpoint} opened")]
    private static partial void LogBindOpened(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bind {Endpoint} closed")]
    private static partial void LogBindClosed(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bind {Endpoint} did not close cleanly")]
    private static partial void LogBindCloseFailed(ILogger logger, Exception exception, string endpoint);
}
