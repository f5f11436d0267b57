namespace Ballast.DataPlane.LoadBalancing;

/// <summary>A lock-free round-robin cursor, advanced once per balanced request.</summary>
internal sealed class RoundRobinPosition
{
    private long _next;

    /// <summary>Returns the current position and advances it.</summary>
    public ulong Next() => (ulong)(Interlocked.Increment(ref _next) - 1);

    /// <summary>Returns the current position without advancing it.</summary>
    public ulong Peek() => (ulong)Volatile.Read(ref _next);
}
