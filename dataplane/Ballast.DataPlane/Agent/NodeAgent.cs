using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Ballast.DataPlane.Config;
using Ballast.DataPlane.Snapshots;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Agent;

/// <summary>
/// The node's link to the control plane, modelled on xDS state-of-the-world ADS. On start it applies the cached
/// snapshot (so the node serves even when the control plane is down), then keeps one Connect stream open: it sends
/// Hello, applies every Snapshot and answers ACK (applied) or NACK (rejected, with the version still served), and
/// sends a StatsReport every second. RuntimeUpdates (runtime server state/weight overrides) are applied to the served
/// model and answered RuntimeAck or RuntimeNack. All writes go through one queue drained by one writer. When the stream fails
/// or the control plane is unreachable, the node keeps serving and reconnects with exponential backoff and jitter
/// (250 ms up to 5 s), logging once per state change.
/// </summary>
internal sealed partial class NodeAgent : BackgroundService
{
    private readonly NodeOptions _options;
    private readonly NodeEngine _engine;
    private readonly SnapshotStore _store;
    private readonly IControlPlaneConnector _connector;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ReconnectBackoff _backoff;
    private LinkState _state = LinkState.Starting;

    /// <summary>Creates the agent.</summary>
    /// <param name="options">Node settings.</param>
    /// <param name="engine">The data plane.</param>
    /// <param name="store">Snapshot cache.</param>
    /// <param name="connector">Opens Connect streams.</param>
    /// <param name="timeProvider">Clock for delays and the stats period.</param>
    /// <param name="logger">Logger.</param>
    public NodeAgent(
        NodeOptions options,
        NodeEngine engine,
        SnapshotStore store,
        IControlPlaneConnector connector,
        TimeProvider timeProvider,
        ILogger<NodeAgent> logger)
    {
        _options = options;
        _engine = engine;
        _store = store;
        _connector = connector;
        _timeProvider = timeProvider;
        _logger = logger;
        _backoff = new ReconnectBackoff(ReconnectBackoff.DefaultInitial, ReconnectBackoff.DefaultMax, new Random());
    }

    private enum LinkState
    {
        Starting,
        Connected,
        Disconnected,
    }

    /// <summary>Period of StatsReport messages.</summary>
    public TimeSpan StatsInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The software version sent in Hello.</summary>
    public static string SoftwareVersion { get; } = ReadSoftwareVersion();

    /// <summary>Applies the cached snapshot, if any, before any contact with the control plane.</summary>
    /// <param name="cancellationToken">Stops the restore.</param>
    /// <returns>Whether a cached snapshot is now being served.</returns>
    public async Task<bool> RestoreCachedSnapshotAsync(CancellationToken cancellationToken)
    {
        var cached = await _store.LoadAsync(cancellationToken).ConfigureAwait(false);
        if (cached is null)
        {
            LogNoCache(_logger, _store.DataDir);
            return false;
        }

        // Overrides first, so the snapshot starts serving with its drained/maint servers already out.
        if (await _store.LoadRuntimeAsync(cancellationToken).ConfigureAwait(false) is { } runtime)
        {
            await _engine.ApplyRuntimeAsync(runtime, cancellationToken).ConfigureAwait(false);
        }

        var result = await _engine.ApplyAsync(cached.Version, cached.Config, cancellationToken).ConfigureAwait(false);
        if (result.Applied)
        {
            LogRestored(_logger, cached.Version, _store.DataDir);
        }
        else
        {
            LogRestoreFailed(_logger, cached.Version, result.Error ?? string.Empty);
        }

        return result.Applied;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _engine.Start();
        try
        {
            await RestoreCachedSnapshotAsync(stoppingToken).ConfigureAwait(false);
            while (!stoppingToken.IsCancellationRequested)
            {
                Exception? failure = null;
                try
                {
                    await RunSessionAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex)
                {
                    failure = ex;
                }

                var delay = _backoff.Next();
                var reason = failure is null ? "stream closed by the control plane" : Describe(failure);
                if (_state != LinkState.Disconnected)
                {
                    _state = LinkState.Disconnected;
                    LogDisconnected(_logger, _options.ControlPlane, reason, _engine.AppliedVersion);
                }
                else
                {
                    LogRetry(_logger, _options.ControlPlane, reason, (long)delay.TotalMilliseconds);
                }

                await Task.Delay(delay, _timeProvider, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Runs one Connect stream until it ends; throws on failure.</summary>
    /// <param name="stoppingToken">Node shutdown.</param>
    internal async Task RunSessionAsync(CancellationToken stoppingToken)
    {
        using var sessionCts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var token = sessionCts.Token;
        using var session = _connector.Connect(token);
        var outbox = Channel.CreateBounded<V1.NodeMessage>(new BoundedChannelOptions(64)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var writer = WriteLoopAsync(session, outbox.Reader, sessionCts);
        Task? stats = null;
        Exception? failure = null;
        try
        {
            outbox.Writer.TryWrite(new V1.NodeMessage { Hello = CreateHello() });
            await session.WaitAcceptedAsync(token).ConfigureAwait(false);
            _backoff.Reset();
            if (_state != LinkState.Connected)
            {
                _state = LinkState.Connected;
                LogConnected(_logger, _options.ControlPlane, _options.NodeId, _engine.AppliedVersion);
            }

            stats = StatsLoopAsync(outbox.Writer, token);
            while (await session.MoveNextAsync(token).ConfigureAwait(false))
            {
                var message = session.Current;
                if (message.KindCase == V1.ControlMessage.KindOneofCase.Snapshot)
                {
                    var reply = await HandleSnapshotAsync(message.Snapshot, token).ConfigureAwait(false);
                    await outbox.Writer.WriteAsync(reply, token).ConfigureAwait(false);
                }
                else if (message.KindCase == V1.ControlMessage.KindOneofCase.RuntimeUpdate)
                {
                    var reply = await HandleRuntimeUpdateAsync(message.RuntimeUpdate, token).ConfigureAwait(false);
                    await outbox.Writer.WriteAsync(reply, token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            failure = ex;
        }
        finally
        {
            outbox.Writer.TryComplete();
            await sessionCts.CancelAsync().ConfigureAwait(false);
            if (stats is not null)
            {
                await stats.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            await writer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        // A failed write cancels the session, so the reader sees a cancellation: report the write's error.
        if (writer.Exception?.InnerException is { } writeFailure && failure is null or OperationCanceledException)
        {
            failure = writeFailure;
        }

        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <summary>Applies a snapshot and builds the ACK or NACK.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="cancellationToken">Cancels the apply.</param>
    internal async Task<V1.NodeMessage> HandleSnapshotAsync(V1.Snapshot snapshot, CancellationToken cancellationToken)
    {
        var config = snapshot.Config ?? new V1.Config();
        ApplyResult result;
        var current = _engine.Current;
        if (snapshot.Version == current.Version && current.Version != 0 && config.Equals(current.Source))
        {
            result = ApplyResult.Ok; // already serving exactly this (e.g. resent after a reconnect)
        }
        else
        {
            try
            {
                result = await _engine.ApplyAsync(snapshot.Version, config, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogApplyCrashed(_logger, ex, snapshot.Version);
                result = ApplyResult.Rejected($"internal error: {ex.Message}");
            }

            if (result.Applied)
            {
                try
                {
                    await _store.SaveAsync(snapshot.Version, config, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogSaveFailed(_logger, ex, snapshot.Version, _store.DataDir);
                }
            }
        }

        return result.Applied
            ? new V1.NodeMessage { Ack = new V1.Ack { Version = snapshot.Version, Nonce = snapshot.Nonce } }
            : new V1.NodeMessage
            {
                Nack = new V1.Nack
                {
                    Version = snapshot.Version,
                    Nonce = snapshot.Nonce,
                    ErrorDetail = result.Error ?? string.Empty,
                    AppliedVersion = _engine.AppliedVersion,
                },
            };
    }

    /// <summary>Applies a runtime update (HAProxy <c>set server state|weight</c>) and builds the RuntimeAck or RuntimeNack.</summary>
    /// <param name="update">The update.</param>
    /// <param name="cancellationToken">Cancels the apply.</param>
    internal async Task<V1.NodeMessage> HandleRuntimeUpdateAsync(V1.RuntimeUpdate update, CancellationToken cancellationToken)
    {
        var result = await _engine.ApplyRuntimeAsync(update, cancellationToken).ConfigureAwait(false);
        if (result.Applied)
        {
            try
            {
                await _store.SaveRuntimeAsync(update, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRuntimeSaveFailed(_logger, ex, update.Revision, _store.DataDir);
            }
        }

        return result.Applied
            ? new V1.NodeMessage { RuntimeAck = new V1.RuntimeAck { Revision = update.Revision, Nonce = update.Nonce } }
            : new V1.NodeMessage
            {
                RuntimeNack = new V1.RuntimeNack
                {
                    Revision = update.Revision,
                    Nonce = update.Nonce,
                    ErrorDetail = result.Error ?? string.Empty,
                    AppliedRevision = _engine.RuntimeRevision,
                },
            };
    }

    /// <summary>Builds the Hello message.</summary>
    internal V1.Hello CreateHello()
    {
        var hello = new V1.Hello
        {
            NodeId = _options.NodeId,
            SoftwareVersion = SoftwareVersion,
            AppliedVersion = _engine.AppliedVersion,
            AppliedConfigHash = _engine.AppliedConfigHash,
            Hostname = Environment.MachineName,
        };
        foreach (var (key, value) in _options.Labels)
        {
            hello.Labels[key] = value;
        }

        return hello;
    }

    private static async Task WriteLoopAsync(IControlPlaneSession session, ChannelReader<V1.NodeMessage> outbox, CancellationTokenSource sessionCts)
    {
        try
        {
            await foreach (var message in outbox.ReadAllAsync(sessionCts.Token).ConfigureAwait(false))
            {
                await session.WriteAsync(message, sessionCts.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (sessionCts.IsCancellationRequested)
        {
        }
        catch
        {
            await sessionCts.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task StatsLoopAsync(ChannelWriter<V1.NodeMessage> outbox, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(StatsInterval, _timeProvider);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            // A report is dropped rather than queued behind a stuck writer; the next one supersedes it.
            outbox.TryWrite(new V1.NodeMessage { Stats = _engine.CreateStatsReport() });
        }
    }

    private static string Describe(Exception exception) => exception switch
    {
        Ballast.Proto.Grpc.RpcException rpc => $"{rpc.StatusCode}: {rpc.Status.Detail}",
        _ => exception.GetBaseException().Message,
    };

    private static string ReadSoftwareVersion()
    {
        var version = typeof(NodeAgent).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(NodeAgent).Assembly.GetName().Version?.ToString()
            ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus > 0 ? version[..plus] : version;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No cached snapshot in {DataDir}; waiting for the control plane")]
    private static partial void LogNoCache(ILogger logger, string dataDir);

    [LoggerMessage(Level = LogLevel.Information, Message = "Restored cached snapshot version {Version} from {DataDir}")]
    private static partial void LogRestored(ILogger logger, ulong version, string dataDir);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cached snapshot version {Version} could not be applied: {Error}")]
    private static partial void LogRestoreFailed(ILogger logger, ulong version, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to control plane {ControlPlane} as node {NodeId} (serving version {Version})")]
    private static partial void LogConnected(ILogger logger, Uri controlPlane, string nodeId, ulong version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Control plane {ControlPlane} unreachable ({Reason}); still serving version {Version}, reconnecting with backoff")]
    private static partial void LogDisconnected(ILogger logger, Uri controlPlane, string reason, ulong version);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Control plane {ControlPlane} still unreachable ({Reason}); next attempt in {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, Uri controlPlane, string reason, long delayMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Applying snapshot version {Version} failed unexpectedly")]
    private static partial void LogApplyCrashed(ILogger logger, Exception exception, ulong version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Runtime overrides revision {Revision} are applied but could not be cached in {DataDir}")]
    private static partial void LogRuntimeSaveFailed(ILogger logger, Exception exception, ulong revision, string dataDir);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Snapshot version {Version} is served but could not be cached in {DataDir}")]
    private static partial void LogSaveFailed(ILogger logger, Exception exception, ulong version, string dataDir);
}
