using Ballast.DataPlane.Transport;

namespace Ballast.DataPlane.Tests.Transport;

public sealed class BlockPoolTests
{
    [Fact]
    public void ReturnedBlock_IsRentedAgain_WithoutAllocating()
    {
        var pool = new BlockPool();
        var first = pool.Rent(4096);
        var memory = first.Memory;
        first.Dispose();
        first.Dispose(); // a second dispose does not return it twice
        Assert.Equal(1, pool.IdleCount);

        var before = GC.GetAllocatedBytesForCurrentThread();
        using var second = pool.Rent(BlockPool.BlockSize);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(memory.Equals(second.Memory), "the same block comes back");
        Assert.Equal(BlockPool.BlockSize, second.Memory.Length);
        Assert.Equal(0, allocated);
        Assert.Equal(0, pool.IdleCount);
    }

    [Fact]
    public void IdleBlocks_AreCapped_AndLargerRentsRefused()
    {
        var pool = new BlockPool();
        var blocks = Enumerable.Range(0, BlockPool.MaxRetained + 10).Select(_ => pool.Rent()).ToList();
        blocks.ForEach(block => block.Dispose());

        Assert.Equal(BlockPool.MaxRetained, pool.IdleCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(BlockPool.BlockSize + 1));
    }
}
