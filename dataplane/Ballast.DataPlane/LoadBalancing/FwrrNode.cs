namespace Ballast.DataPlane.LoadBalancing;

/// <summary>
/// The fast-weighted-round-robin bookkeeping of one server in its <see cref="FwrrGroup"/> (HAProxy's <c>npos</c>,
/// <c>lpos</c>, <c>rweight</c>, <c>lb_tree</c> and <c>lb_node</c> fields of <c>struct server</c>). Positions are
/// in HAProxy's units: a group's window spans its total effective weight (<c>weight * 16</c> per server).
/// Mutated only under the group's lock.
/// </summary>
internal sealed class FwrrNode
{
    /// <summary>Creates the node of the server at <paramref name="index"/> in the balancer's server list.</summary>
    /// <param name="index">Index of the server.</param>
    public FwrrNode(int index) => Index = index;

    /// <summary>Index of the server in the balancer's server list.</summary>
    public int Index { get; }

    /// <summary>Next position at which the server is due (<c>npos</c>).</summary>
    public int NextPosition { get; set; }

    /// <summary>Position at which the server was last picked (<c>lpos</c>).</summary>
    public int LastPosition { get; set; }

    /// <summary>Accumulated remainder of <c>next_weight / eweight</c> (<c>rweight</c>).</summary>
    public int RemainderWeight { get; set; }

    /// <summary>
    /// The tree the server belongs to (<c>lb_tree</c>), kept while the server is temporarily dequeued during a pick;
    /// null when the server is not usable.
    /// </summary>
    public FwrrTree? Tree { get; set; }

    /// <summary>Whether the node is linked in <see cref="Tree"/> right now.</summary>
    public bool IsQueued { get; set; }

    /// <summary>Sort key in <see cref="Tree"/> (eb32 key, compared unsigned).</summary>
    public uint Key { get; set; }

    /// <summary>Insertion sequence: equal keys are returned oldest first, as eb32 duplicates.</summary>
    public long Sequence { get; set; }

    /// <summary>Slot in <see cref="Tree"/>'s heap while <see cref="IsQueued"/>.</summary>
    public int HeapIndex { get; set; }

    /// <summary>Usability committed to the group (HAProxy <c>srv_currently_usable</c>).</summary>
    public bool Usable { get; set; }

    /// <summary>Effective weight committed to the group (<c>cur_eweight</c>).</summary>
    public int EffectiveWeight { get; set; }
}
