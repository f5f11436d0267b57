using System.Security.Cryptography;
using System.Threading.Channels;
using Ballast.Proto.Grpc;

namespace Ballast.ControlPlane.Fleet;

/// <summary>
/// One open node stream. Snapshots to send wait in a one-slot outbox that keeps only the newest (a state-of-the-world
/// snapshot supersedes the older ones), so a slow node never blocks a publish or the other nodes.
/// </summary>
internal sealed class NodeSession
{
    private readonly Channel<PublishedSnapshot> _outbox = Channel.CreateBounded<PublishedSnapshot>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private readonly Channel<Runtime.RuntimeState> _runtimeOutbox = Channel.CreateBounded<Runtime.RuntimeState>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private readonly CancellationTokenSource _close = new();
    private readonly Lock _lock = new();
    private string? _nonce;
    private long _sentVersion;
    private Status _closeStatus = new(StatusCode.Aborted, "stream closed by the control plane");

    /// <summary>Creates a session for <paramref name="nodeId"/>.</summary>
    public NodeSession(string nodeId, string peer)
    {
        NodeId = nodeId;
        Peer = peer;
    }

    /// <summary>The node's id.</summary>
    public string NodeId { get; }

    /// <summary>Remote address of the stream.</summary>
    public string Peer { get; }

    /// <summary>Hash of the config the node said it serves in its Hello (empty = none).</summary>
    public string HelloConfigHash { get; init; } = string.Empty;

    /// <summary>Snapshots waiting to be sent.</summary>
    public ChannelReader<PublishedSnapshot> Outbox => _outbox.Reader;

    /// <summary>Runtime override sets waiting to be sent (newest only; sent after any pending snapshot).</summary>
    public ChannelReader<Runtime.RuntimeState> RuntimeOutbox => _runtimeOutbox.Reader;

    /// <summary>Queues a runtime override set, replacing any set not sent yet.</summary>
    public void OfferRuntime(Runtime.RuntimeState state) => _runtimeOutbox.Writer.TryWrite(state);

    /// <summary>Cancelled when the control plane closes this stream (e.g. a newer stream of the same node).</summary>
    public CancellationToken Closed => _close.Token;

    /// <summary>Status to end the call with after <see cref="Closed"/> fired.</summary>
    public Status CloseStatus
    {
        get
        {
            lock (_lock)
            {
                return _closeStatus;
            }
        }
    }

    /// <summary>Version of the last snapshot sent on this stream (0 = none).</summary>
    public long SentVersion
    {
        get
        {
            lock (_lock)
            {
                return _sentVersion;
            }
        }
    }

    /// <summary>Queues <paramref name="snapshot"/>, replacing any snapshot not sent yet.</summary>
    public void Offer(PublishedSnapshot snapshot) => _outbox.Writer.TryWrite(snapshot);

    /// <summary>Records that <paramref name="version"/> is about to be sent and returns its fresh nonce.</summary>
    public string BeginSend(long version)
    {
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        lock (_lock)
        {
            _nonce = nonce;
            _sentVersion = version;
        }

        return nonce;
    }

    /// <summary>Whether <paramref name="nonce"/> is the nonce of the last snapshot sent (xDS: older nonces are stale).</summary>
    public bool IsCurrentNonce(string nonce, out long version)
    {
        lock (_lock)
        {
            version = _sentVersion;
            return _nonce is not null && string.Equals(nonce, _nonce, StringComparison.Ordinal);
        }
    }

    /// <summary>Ends the stream with <paramref name="status"/>.</summary>
    public void Close(Status status)
    {
        lock (_lock)
        {
            _closeStatus = status;
        }

        _outbox.Writer.TryComplete();
        _runtimeOutbox.Writer.TryComplete();
        _close.Cancel();
    }

    /// <summary>Stops queuing snapshots (the stream ended).</summary>
    public void Complete()
    {
        _outbox.Writer.TryComplete();
        _runtimeOutbox.Writer.TryComplete();
    }
}
