namespace Ballast.DataPlane.LoadBalancing;

/// <summary>
/// One of the ordered trees of an <see cref="FwrrGroup"/> (HAProxy's <c>eb32</c> trees <c>curr</c>, <c>t0</c>,
/// <c>t1</c>): nodes ordered by unsigned key, duplicates in insertion order. The group only ever needs the first node
/// and to unlink a given one, so this is an intrusive binary min-heap over (key, sequence), a total order: the same
/// picks as eb32's, in O(log n) without allocating once the array has grown (a pick re-queues its server on every
/// request). Not thread-safe (the group's lock).
/// </summary>
internal sealed class FwrrTree
{
    private FwrrNode[] _heap = new FwrrNode[4];
    private int _count;

    /// <summary>The node with the lowest key (the oldest among equals), or null when empty (<c>eb32_first</c>).</summary>
    public FwrrNode? First => _count == 0 ? null : _heap[0];

    /// <summary>Links <paramref name="node"/> under <paramref name="key"/> after any node of equal key.</summary>
    /// <param name="node">A node not linked anywhere.</param>
    /// <param name="key">Its key.</param>
    /// <param name="sequence">A sequence number larger than any used before in the group.</param>
    public void Insert(FwrrNode node, uint key, long sequence)
    {
        node.Key = key;
        node.Sequence = sequence;
        if (_count == _heap.Length)
        {
            Array.Resize(ref _heap, _count * 2);
        }

        _heap[_count] = node;
        node.HeapIndex = _count++;
        SiftUp(node.HeapIndex);
        node.Tree = this;
        node.IsQueued = true;
    }

    /// <summary>Unlinks <paramref name="node"/> if linked (<c>eb32_delete</c>); its <see cref="FwrrNode.Tree"/> is kept.</summary>
    /// <param name="node">The node.</param>
    public static void Delete(FwrrNode node)
    {
        if (node.IsQueued)
        {
            node.Tree!.RemoveAt(node.HeapIndex);
            node.IsQueued = false;
        }
    }

    private void RemoveAt(int index)
    {
        var last = --_count;
        if (index != last)
        {
            Place(_heap[last], index);
            SiftDown(index);
            SiftUp(index);
        }

        _heap[last] = null!;
    }

    private void SiftUp(int index)
    {
        var node = _heap[index];
        while (index > 0)
        {
            var parent = (index - 1) / 2;
            if (!Precedes(node, _heap[parent]))
            {
                break;
            }

            Place(_heap[parent], index);
            index = parent;
        }

        Place(node, index);
    }

    private void SiftDown(int index)
    {
        var node = _heap[index];
        while (true)
        {
            var child = (2 * index) + 1;
            if (child >= _count)
            {
                break;
            }

            if (child + 1 < _count && Precedes(_heap[child + 1], _heap[child]))
            {
                child++;
            }

            if (!Precedes(_heap[child], node))
            {
                break;
            }

            Place(_heap[child], index);
            index = child;
        }

        Place(node, index);
    }

    private void Place(FwrrNode node, int index)
    {
        _heap[index] = node;
        node.HeapIndex = index;
    }

    private static bool Precedes(FwrrNode x, FwrrNode y) => x.Key < y.Key || (x.Key == y.Key && x.Sequence < y.Sequence);
}
