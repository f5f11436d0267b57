namespace Ballast.Proto.Grpc;

/// <summary>Why a server call was cancelled before its handler finished.</summary>
internal enum CancellationReason
{
    None,
    /// <summary>The client reset the stream or the connection dropped: nothing can be sent.</summary>
    ClientGone,
    /// <summary>The host is stopping: answer UNAVAILABLE so clients reconnect elsewhere or later.</summary>
    ServerStopping,
    /// <summary>The <c>grpc-timeout</c> passed: answer DEADLINE_EXCEEDED.</summary>
    Deadline,
}

/// <summary>
/// The cancellation of one server call: client reset (<c>RequestAborted</c>), host shutdown
/// (<c>ApplicationStopping</c>) and the deadline, combined into the handler's token, plus which one fired.
/// </summary>
internal sealed class ServerCallCancellation : IDisposable
{
    private readonly CancellationToken _requestAborted;
    private readonly CancellationToken _stopping;
    private readonly CancellationTokenSource _deadline = new();
    private readonly CancellationTokenSource _linked;
    private readonly TaskCompletionSource _cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenRegistration _registration;

    public ServerCallCancellation(CancellationToken requestAborted, CancellationToken stopping, TimeSpan? timeout)
    {
        _requestAborted = requestAborted;
        _stopping = stopping;
        _linked = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, stopping, _deadline.Token);
        _registration = _linked.Token.Register(() => _cancelled.TrySetResult());
        if (timeout is { } delay && delay < TimeSpan.FromDays(40))
        {
            _deadline.CancelAfter(delay);
        }
    }

    /// <summary>The handler's token (<see cref="ServerCallContext.CancellationToken"/>).</summary>
    public CancellationToken Token => _linked.Token;

    /// <summary>Completes when <see cref="Token"/> fires.</summary>
    public Task Cancelled => _cancelled.Task;

    /// <summary>Which cancellation fired first in importance: client gone, then shutdown, then deadline.</summary>
    public CancellationReason Reason =>
        _requestAborted.IsCancellationRequested ? CancellationReason.ClientGone
        : _stopping.IsCancellationRequested ? CancellationReason.ServerStopping
        : _deadline.IsCancellationRequested ? CancellationReason.Deadline
        : CancellationReason.None;

    /// <summary>The status to send for <see cref="Reason"/>; null when nothing can be sent or nothing fired.</summary>
    public Status? StatusForReason => Reason switch
    {
        CancellationReason.ServerStopping => new Status(StatusCode.Unavailable, "Server is shutting down."),
        CancellationReason.Deadline => new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"),
        _ => null,
    };

    public void Dispose()
    {
        _registration.Dispose();
        _linked.Dispose();
        _deadline.Dispose();
    }
}
