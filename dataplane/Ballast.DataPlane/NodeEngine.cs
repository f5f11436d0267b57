using System.Security.Cryptography;
using Google.Protobuf;
using Ballast.DataPlane.Config;
using Ballast.DataPlane.Health;
using Ballast.DataPlane.Proxy;
using Ballast.DataPlane.Stats;
using Microsoft.Extensions.Logging;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane;

/// <summary>
/// The node's data plane: applies snapshots atomically and serves them. An apply validates the whole snapshot
/// (<see cref="SnapshotValidator"/>), opens the binds it adds (on failure, closes them and rejects, leaving the
/// served model untouched), builds the new <see cref="RuntimeModel"/> carrying over the state of unchanged
/// objects, publishes it with one reference swap, then closes removed binds gracefully and reconciles health
/// checks. Applies are serialized; requests never wait for them.
/// </summary>
internal sealed partial class NodeEngine : IAsyncDisposable
{
    private readonly NodeOptions _options;
    private readonly RuntimeModelHolder _holder;
    private readonly ListenerManager _listeners;
    private readonly HealthCheckManager _health;
    private readonly Runtime.RuntimeOverrides _runtime;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _applyLock = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _sampler;
    private int _disposed;

    /// <summary>Creates the engine.</summary>
    /// <param name="options">Node settings (for the node id in logs).</param>
    /// <param name="holder">The served model.</param>
    /// <param name="listeners">Binds.</param>
    /// <param name="health">Health checks.</param>
    /// <param name="runtime">Runtime server overrides (HAProxy <c>set server state|weight</c>).</param>
    /// <param name="timeProvider">Clock.</param>
    /// <param name="logger">Logger.</param>
    public NodeEngine(
        NodeOptions options,
        RuntimeModelHolder holder,
        ListenerManager listeners,
        HealthCheckManager health,
        Runtime.RuntimeOverrides runtime,
        TimeProvider timeProvider,
        ILogger<NodeEngine> logger)
    {
        _options = options;
        _holder = holder;
        _listeners = listeners;
        _health = health;
        _runtime = runtime;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>The model being served.</summary>
    public RuntimeModel Current => _holder.Current;

    /// <summary>Version being served; 0 before the first apply.</summary>
    public ulong AppliedVersion => _holder.Current.Version;

    /// <summary>
    /// SHA-256 (lowercase hex) of the protobuf encoding of the served configuration, as the control plane hashes a
    /// version; empty before the first apply.
    /// </summary>
    public string AppliedConfigHash
    {
        get
        {
            var model = _holder.Current;
            return model.Version == 0 ? string.Empty : Convert.ToHexStringLower(SHA256.HashData(model.Source.ToByteArray()));
        }
    }

    /// <summary>Binds currently open.</summary>
    public IReadOnlyCollection<BindEndpoint> OpenBinds => _listeners.OpenEndpoints;

    /// <summary>The health-check loops.</summary>
    internal HealthCheckManager Health => _health;

    /// <summary>Starts the once-per-second stats sampler (idempotent).</summary>
    public void Start() => _sampler ??= StatsSampler.RunAsync(() => _holder.Current, _timeProvider, _stopping.Token);

    /// <summary>Applies a snapshot, or rejects it and keeps serving the current one.</summary>
    /// <param name="version">Snapshot version.</param>
    /// <param name="config">Snapshot configuration; must not be modified afterwards.</param>
    /// <param name="cancellationToken">Cancels the apply (binds opened so far are closed).</param>
    /// <returns>ACK or NACK material.</returns>
    public async Task<ApplyResult> ApplyAsync(ulong version, V1.Config config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _applyLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var errors = SnapshotValidator.Validate(config);
            if (errors.Count > 0)
            {
                return Reject(version, string.Join("; ", errors));
            }

            var wanted = new HashSet<BindEndpoint>();
            var opened = new List<BindListener>();
            try
            {
                foreach (var frontend in config.Frontends)
                {
                    foreach (var bind in frontend.Binds)
                    {
                        BindEndpoint.TryParse(bind.Address, bind.Port, out var endpoint);
                        if (!wanted.Add(endpoint) || _listeners.IsOpen(endpoint))
                        {
                            continue;
                        }

                        try
                        {
                            opened.Add(await _listeners.OpenAsync(endpoint, cancellationToken).ConfigureAwait(false));
                        }
                        catch (BindException ex)
                        {
                            await _listeners.AbandonAsync(opened).ConfigureAwait(false);
                            return Reject(version, $"frontend '{frontend.Name}' bind {endpoint}: {ex.Message}");
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
                await _listeners.AbandonAsync(opened).ConfigureAwait(false);
                throw;
            }

            var model = RuntimeModelBuilder.Build(version, config, _holder.Current, _timeProvider);
            _runtime.ApplyTo(model); // runtime overrides outlive versions, as HAProxy's server-state file
            _holder.Swap(model);
            _listeners.Commit(opened, wanted);
            _listeners.ApplyHttpTimeouts(model);
            _health.Reconcile(model);
            var servers = 0;
            foreach (var backend in model.Backends)
            {
                servers += backend.Servers.Length;
            }

            LogServing(_logger, _options.NodeId, version, model.Frontends.Length, model.Backends.Length, servers);
            return ApplyResult.Ok;
        }
        finally
        {
            _applyLock.Release();
        }
    }

    /// <summary>Revision of the runtime overrides being applied; 0 = none received.</summary>
    public ulong RuntimeRevision => _runtime.Revision;

    /// <summary>
    /// Applies a runtime update (HAProxy <c>set server state|weight</c>) to the served model without rebuilding it;
    /// servers entering or leaving MAINT stop or start their checks. Serialized with snapshot applies.
    /// </summary>
    /// <param name="update">The complete override set.</param>
    /// <param name="cancellationToken">Cancels waiting for a running apply.</param>
    /// <returns>ACK or NACK material.</returns>
    public async Task<ApplyResult> ApplyRuntimeAsync(V1.RuntimeUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _applyLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_runtime.TryReplace(update, out var error))
            {
                LogRuntimeRejected(_logger, _options.NodeId, update.Revision, error ?? string.Empty);
                return ApplyResult.Rejected(error ?? "invalid runtime update");
            }

            var model = _holder.Current;
            if (_runtime.ApplyTo(model))
            {
                _health.Reconcile(model);
            }

            LogRuntimeApplied(_logger, _options.NodeId, update.Revision, update.Overrides.Count);
            return ApplyResult.Ok;
        }
        finally
        {
            _applyLock.Release();
        }
    }

    /// <summary>Builds a stats report of the served model.</summary>
    public V1.StatsReport CreateStatsReport() => StatsReportBuilder.Build(_holder.Current, _timeProvider);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _applyLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_sampler is not null)
            {
                await _sampler.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            await _health.DisposeAsync().ConfigureAwait(false);
            await _listeners.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _applyLock.Release();
            _stopping.Dispose();
        }
    }

    private ApplyResult Reject(ulong version, string error)
    {
        LogRejected(_logger, _options.NodeId, version, _holder.Current.Version, error);
        return ApplyResult.Rejected(error);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {NodeId} serving version {Version} ({Frontends} frontends, {Backends} backends, {Servers} servers)")]
    private static partial void LogServing(ILogger logger, string nodeId, ulong version, int frontends, int backends, int servers);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {NodeId} applied runtime revision {Revision} ({Count} server overrides)")]
    private static partial void LogRuntimeApplied(ILogger logger, string nodeId, ulong revision, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {NodeId} rejected runtime revision {Revision}: {Error}")]
    private static partial void LogRuntimeRejected(ILogger logger, string nodeId, ulong revision, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {NodeId} rejected version {Version}, still serving version {Serving}: {Error}")]
    private static partial void LogRejected(ILogger logger, string nodeId, ulong version, ulong serving, string error);
}
