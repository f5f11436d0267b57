using System.Collections.Concurrent;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.StickTables;

/// <summary>
/// A stick table, as HAProxy <c>stick-table type ip|string size &lt;n&gt; expire &lt;t&gt; store ...</c>: bounded,
/// entries expire <c>expire</c> after their last touch (expired entries read as absent). When an insert finds the
/// table full, expired entries are purged and, if it is still full, the eighth of the entries expiring soonest is
/// evicted (HAProxy's <c>stktable_trash_oldest()</c> also frees the oldest entries in a batch). Local to the node:
/// no <c>peers</c> replication. Survives snapshot swaps while its definition stays the same.
/// </summary>
internal sealed class StickTable
{
    private readonly ConcurrentDictionary<StickKey, StickEntry> _entries = new();
    private readonly TimeProvider _timeProvider;
    private readonly object _evictionGate = new();
    private int _count;

    /// <summary>Creates an empty table from its definition.</summary>
    /// <param name="definition">The configuration.</param>
    /// <param name="timeProvider">Clock of expiry and rates.</param>
    public StickTable(V1.StickTable definition, TimeProvider timeProvider)
    {
        Definition = definition.Clone();
        _timeProvider = timeProvider;
        Type = definition.Type;
        Size = (int)Math.Max(1, definition.Size);
        Expire = definition.ExpireMs;
        HttpRequestRatePeriod = definition.HttpReqRatePeriodMs;
        ConnectionRatePeriod = definition.ConnRatePeriodMs;
        StoreConnCur = definition.StoreConnCur;
    }

    /// <summary>The definition this table was built from (compared to carry the table over).</summary>
    public V1.StickTable Definition { get; }

    /// <summary>Key type.</summary>
    public V1.StickTableType Type { get; }

    /// <summary>Maximum entries (<c>size</c>).</summary>
    public int Size { get; }

    /// <summary><c>expire</c> in ms; 0 = never.</summary>
    public long Expire { get; }

    /// <summary>Period of <c>http_req_rate</c> in ms; 0 = not stored.</summary>
    public long HttpRequestRatePeriod { get; }

    /// <summary>Period of <c>conn_rate</c> in ms; 0 = not stored.</summary>
    public long ConnectionRatePeriod { get; }

    /// <summary>Whether <c>conn_cur</c> is stored.</summary>
    public bool StoreConnCur { get; }

    /// <summary>Entries currently held (expired ones included until purged).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The table's clock in milliseconds.</summary>
    public long Now => _timeProvider.GetTimestamp() * 1000 / _timeProvider.TimestampFrequency;

    /// <summary>Returns the table itself when <paramref name="definition"/> matches, else a new empty table.</summary>
    /// <param name="previous">The table of the previous model, or null.</param>
    /// <param name="definition">The new definition.</param>
    /// <param name="timeProvider">Clock.</param>
    public static StickTable CarryOver(StickTable? previous, V1.StickTable definition, TimeProvider timeProvider) =>
        previous is not null && previous.Definition.Equals(definition) ? previous : new StickTable(definition, timeProvider);

    /// <summary>The live entry of <paramref name="key"/>, or null (an expired entry is removed and reads as absent).</summary>
    /// <param name="key">The key.</param>
    /// <param name="now">Table milliseconds.</param>
    public StickEntry? Find(in StickKey key, long now)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            return null;
        }

        if (entry.ExpiresAt <= now)
        {
            Remove(entry);
            return null;
        }

        return entry;
    }

    /// <summary>The live entry of <paramref name="key"/>, created when absent; touched (expiry refreshed) either way.</summary>
    /// <param name="key">The key.</param>
    /// <param name="now">Table milliseconds.</param>
    public StickEntry GetOrCreate(in StickKey key, long now)
    {
        var expiresAt = Expire > 0 ? now + Expire : long.MaxValue;
        var entry = Find(key, now);
        if (entry is not null)
        {
            entry.Touch(expiresAt);
            return entry;
        }

        if (Count >= Size)
        {
            MakeRoom(now);
        }

        var created = new StickEntry(key, expiresAt);
        entry = _entries.GetOrAdd(key, created);
        if (ReferenceEquals(entry, created))
        {
            Interlocked.Increment(ref _count);
        }
        else
        {
            entry.Touch(expiresAt);
        }

        return entry;
    }

    private void Remove(StickEntry entry)
    {
        if (_entries.TryRemove(new KeyValuePair<StickKey, StickEntry>(entry.Key, entry)))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    private void MakeRoom(long now)
    {
        lock (_evictionGate)
        {
            if (Count < Size)
            {
                return;
            }

            foreach (var pair in _entries)
            {
                if (pair.Value.ExpiresAt <= now)
                {
                    Remove(pair.Value);
                }
            }

            if (Count < Size)
            {
                return;
            }

            var snapshot = _entries.Values.ToArray();
            var expiries = new long[snapshot.Length];
            for (var i = 0; i < snapshot.Length; i++)
            {
                expiries[i] = snapshot[i].ExpiresAt;
            }

            Array.Sort(expiries, snapshot);
            var evict = Math.Max(1, snapshot.Length / 8);
            for (var i = 0; i < evict; i++)
            {
                Remove(snapshot[i]);
            }
        }
    }
}
