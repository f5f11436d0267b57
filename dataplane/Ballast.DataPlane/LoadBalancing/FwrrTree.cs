namespace Ballast.DataPlane.LoadBalancing;

/// <summary>
/// One of the ordered trees of an <see cref="FwrrGroup"/> (HAProxy's <c>eb32</c> trees <c>curr</c>, <c>t0</c>,
/// <c>t1</c>): nodes sorted by unsigned key, duplicates in insertion order. Not thread-safe (the group's lock).
/// </summary>
internal sealed class FwrrTree
{
    private static readonly Comparer<FwrrNode> Order = Comparer<FwrrNode>.Create((x, y) =>
    {
        var byKey = x.Key.CompareTo(y.Key);
        return byKey != 0 ? byKey : x.Sequence.CompareTo(y.Sequence);
    });

    private readonly SortedSet<FwrrNode> _nodes = new(Order);

    /// <summary>The node with the lowest key (the oldest among equals), or null when empty (<c>eb32_first</c>).</summary>
    public FwrrNode? First => _nodes.Count == 0 ? null : _nodes.Min;

    /// <summary>Links <paramref name="node"/> under <paramref name="key"/> after any node of equal key.</summary>
    /// <param name="node">A node not linked anywhere.</param>
    /// <param name="key">Its key.</param>
    /// <param name="sequence">A sequence number larger than any used before in the group.</param>
    public void Insert(FwrrNode node, uint key, long sequence)
    {
        node.Key = key;
        node.Sequence = sequence;
        _nodes.Add(node);
        node.Tree = this;
        node.IsQueued = true;
    }

    /// <summary>Unlinks <paramref name="node"/> if linked (<c>eb32_delete</c>); its <see cref="FwrrNode.Tree"/> is kept.</summary>
    /// <param name="node">The node.</param>
    public static void Delete(FwrrNode node)
    {
        if (node.IsQueued)
        {
            node.Tree!._nodes.Remove(node);
            node.IsQueued = false;
        }
    }
}
