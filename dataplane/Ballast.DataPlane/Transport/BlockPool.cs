using System.Buffers;

namespace Ballast.DataPlane.Transport;

/// <summary>
/// The transport's buffers: 16 KB blocks (HAProxy's <c>tune.bufsize</c>) allocated on the pinned object heap and
/// kept for reuse, as Kestrel's pinned block pool. The pipes of every connection rent from it. The shared
/// <see cref="ArrayPool{T}"/> keeps only a few dozen arrays per size, while a proxy holds one block per in-flight
/// request (the request head stays in the client's pipe until the response, for a replay): at 200 connections it
/// missed on a third of the rents and allocated 5 KB per request, 30 GCs in 6 s (deploy/BENCHMARKS.md, session 5).
/// Blocks come back when a pipe has sent or consumed them; at most <see cref="MaxRetained"/> idle blocks are kept, the
/// rest are left to the GC.
/// </summary>
internal sealed class BlockPool : MemoryPool<byte>
{
    /// <summary>Bytes per block.</summary>
    public const int BlockSize = 16 * 1024;

    /// <summary>Idle blocks kept at most (8 MB).</summary>
    public const int MaxRetained = 512;

    private readonly Lock _gate = new();
    private Block[] _idle = new Block[64];
    private int _count;

    /// <inheritdoc />
    public override int MaxBufferSize => BlockSize;

    /// <summary>Idle blocks held (tests).</summary>
    internal int IdleCount => Volatile.Read(ref _count);

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minBufferSize"/> is larger than <see cref="BlockSize"/>.</exception>
    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        lock (_gate)
        {
            if (_count > 0)
            {
                var block = _idle[--_count];
                _idle[_count] = null!;
                block.Rented = true;
                return block;
            }
        }

        return new Block(this);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
    }

    private void Return(Block block)
    {
        lock (_gate)
        {
            if (_count >= MaxRetained)
            {
                return;
            }

            if (_count == _idle.Length)
            {
                Array.Resize(ref _idle, Math.Min(MaxRetained, _idle.Length * 2));
            }

            _idle[_count++] = block;
        }
    }

    private sealed class Block(BlockPool pool) : IMemoryOwner<byte>
    {
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);

        public bool Rented { get; set; } = true;

        public Memory<byte> Memory => _array;

        public void Dispose()
        {
            if (Rented)
            {
                Rented = false;
                pool.Return(this);
            }
        }
    }
}
