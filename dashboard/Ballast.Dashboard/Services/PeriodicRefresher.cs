using Microsoft.Extensions.Logging;

namespace Ballast.Dashboard.Services;

/// <summary>
/// Runs a callback at a fixed interval until disposed: the live-refresh timer of a component. A failing callback is
/// logged and the loop goes on; disposal cancels the callback in progress and waits for the loop to end.
/// </summary>
public sealed class PeriodicRefresher : IAsyncDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly ILogger _logger;
    private Task? _loop;
    private bool _disposed;

    /// <summary>Creates a stopped refresher.</summary>
    /// <param name="logger">Logs failed callbacks.</param>
    public PeriodicRefresher(ILogger logger)
    {
        _logger = logger;
    }

    /// <summary>Cancelled when the refresher is disposed; pass it to the initial load as well.</summary>
    public CancellationToken Token => _cts.Token;

    /// <summary>Starts calling <paramref name="tick"/> every <paramref name="interval"/> (first call after one interval). Idempotent.</summary>
    public void Start(TimeSpan interval, Func<CancellationToken, Task> tick)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _loop ??= RunAsync(interval, tick, _cts.Token);
    }

    private async Task RunAsync(TimeSpan interval, Func<CancellationToken, Task> tick, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await tick(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    _logger.LogWarning(ex, "Dashboard refresh failed");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _cts.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Expected on cancellation.
            }
        }

        _cts.Dispose();
    }
}
