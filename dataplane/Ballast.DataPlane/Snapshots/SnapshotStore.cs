using Google.Protobuf;
using Microsoft.Extensions.Logging;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Snapshots;

/// <summary>
/// The node's last applied snapshot on disk (<c>&lt;data-dir&gt;/snapshot.pb</c>: a <c>ballast.v1.Snapshot</c>
/// holding version and config, nonce left empty), so a restarted node serves its last configuration before — or
/// without — reaching the control plane, as Kong's and Envoy's last-known-good caches; and the last applied runtime
/// update (<c>&lt;data-dir&gt;/runtime.pb</c>, HAProxy <c>set server state|weight</c> overrides), so a restarted node keeps
/// a drained server drained, as HAProxy's <c>server-state-file</c>. Writes are atomic: a temp file is written and
/// flushed to disk, then renamed over the previous one.
/// </summary>
internal sealed partial class SnapshotStore
{
    /// <summary>File name of the cache inside the data directory.</summary>
    public const string FileName = "snapshot.pb";

    /// <summary>File name of the runtime-override cache inside the data directory.</summary>
    public const string RuntimeFileName = "runtime.pb";

    private readonly string _path;
    private readonly ILogger _logger;

    /// <summary>Creates the store.</summary>
    /// <param name="dataDir">Data directory; created on first save.</param>
    /// <param name="logger">Logger.</param>
    public SnapshotStore(string dataDir, ILogger<SnapshotStore> logger)
    {
        DataDir = Path.GetFullPath(dataDir);
        _path = Path.Combine(DataDir, FileName);
        _logger = logger;
    }

    /// <summary>Absolute data directory.</summary>
    public string DataDir { get; }

    /// <summary>Persists <paramref name="config"/> as the applied <paramref name="version"/>.</summary>
    /// <param name="version">Applied version.</param>
    /// <param name="config">Applied configuration.</param>
    /// <param name="cancellationToken">Cancels the write (the previous file stays).</param>
    public async Task SaveAsync(ulong version, V1.Config config, CancellationToken cancellationToken)
    {
        var snapshot = new V1.Snapshot { Version = version, Config = config };
        await WriteAtomicAsync(FileName, snapshot.ToByteArray(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Persists the applied runtime update (the complete override set).</summary>
    /// <param name="update">The update the node applied.</param>
    /// <param name="cancellationToken">Cancels the write (the previous file stays).</param>
    public Task SaveRuntimeAsync(V1.RuntimeUpdate update, CancellationToken cancellationToken) =>
        WriteAtomicAsync(RuntimeFileName, update.ToByteArray(), cancellationToken);

    /// <summary>Loads the cached runtime update.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The update, or null when there is none or it cannot be read (logged).</returns>
    public async Task<V1.RuntimeUpdate?> LoadRuntimeAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(DataDir, RuntimeFileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return V1.RuntimeUpdate.Parser.ParseFrom(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is IOException or InvalidProtocolBufferException or UnauthorizedAccessException)
        {
            LogUnreadable(_logger, ex, path);
            return null;
        }
    }

    private async Task WriteAtomicAsync(string fileName, byte[] bytes, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(DataDir);
        var temp = Path.Combine(DataDir, $"{fileName}.{Environment.ProcessId}.tmp");
        try
        {
            var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, Path.Combine(DataDir, fileName), overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Loads the cached snapshot.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The snapshot, or null when there is none or it cannot be read (logged).</returns>
    public async Task<V1.Snapshot?> LoadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(_path))
        {
            return null;
        }

        try
        {
            var bytes = await File.ReadAllBytesAsync(_path, cancellationToken).ConfigureAwait(false);
            var snapshot = V1.Snapshot.Parser.ParseFrom(bytes);
            return snapshot.Version == 0 || snapshot.Config is null ? null : snapshot;
        }
        catch (Exception ex) when (ex is IOException or InvalidProtocolBufferException or UnauthorizedAccessException)
        {
            LogUnreadable(_logger, ex, _path);
            return null;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cache file {Path} is unreadable; starting without it")]
    private static partial void LogUnreadable(ILogger logger, Exception exception, string path);
}
