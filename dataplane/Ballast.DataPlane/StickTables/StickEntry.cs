namespace Ballast.DataPlane.StickTables;

/// <summary>
/// One stick-table entry: the stored data types of HAProxy's <c>store</c> (<c>http_req_rate</c>, <c>conn_rate</c>,
/// <c>conn_cur</c>) and the <c>server_id</c> of <c>stick on</c>. Every access takes the entry's lock, which is
/// short and per key.
/// </summary>
internal sealed class StickEntry
{
    private readonly object _gate = new();
    private FreqCounter _httpRequests;
    private FreqCounter _connections;
    private long _current;
    private long _expiresAt;

    /// <summary>Creates an entry.</summary>
    /// <param name="key">Its key.</param>
    /// <param name="expiresAt">When it expires, in table milliseconds.</param>
    public StickEntry(StickKey key, long expiresAt)
    {
        Key = key;
        _expiresAt = expiresAt;
    }

    /// <summary>The entry's key.</summary>
    public StickKey Key { get; }

    /// <summary>Expiry in table milliseconds (<see cref="long.MaxValue"/> without <c>expire</c>).</summary>
    public long ExpiresAt => Volatile.Read(ref _expiresAt);

    /// <summary>Name of the server stored by <c>stick on</c> (HAProxy stores <c>server_id</c>), or null.</summary>
    public string? Server { get; set; }

    /// <summary>Pushes the expiry back, as HAProxy refreshes an entry each time it is touched.</summary>
    /// <param name="expiresAt">New expiry.</param>
    public void Touch(long expiresAt) => Volatile.Write(ref _expiresAt, expiresAt);

    /// <summary>Counts one tracked HTTP request (http_req_rate) and connection (conn_rate, conn_cur).</summary>
    /// <param name="now">Table milliseconds.</param>
    /// <param name="table">The table (periods and stored types).</param>
    public void Track(long now, StickTable table)
    {
        lock (_gate)
        {
            if (table.HttpRequestRatePeriod > 0)
            {
                _httpRequests.Add(now, table.HttpRequestRatePeriod);
            }

            if (table.ConnectionRatePeriod > 0)
            {
                _connections.Add(now, table.ConnectionRatePeriod);
            }

            _current++;
        }
    }

    /// <summary>Ends one tracked connection (conn_cur).</summary>
    public void Untrack()
    {
        lock (_gate)
        {
            _current--;
        }
    }

    /// <summary>The <c>http_req_rate</c> over the table's period, or null when the table does not store it.</summary>
    /// <param name="now">Table milliseconds.</param>
    /// <param name="table">The table.</param>
    public long? HttpRequestRate(long now, StickTable table)
    {
        if (table.HttpRequestRatePeriod <= 0)
        {
            return null;
        }

        lock (_gate)
        {
            return _httpRequests.Read(now, table.HttpRequestRatePeriod);
        }
    }

    /// <summary>The <c>conn_rate</c> over the table's period, or null when the table does not store it.</summary>
    /// <param name="now">Table milliseconds.</param>
    /// <param name="table">The table.</param>
    public long? ConnectionRate(long now, StickTable table)
    {
        if (table.ConnectionRatePeriod <= 0)
        {
            return null;
        }

        lock (_gate)
        {
            return _connections.Read(now, table.ConnectionRatePeriod);
        }
    }

    /// <summary>The <c>conn_cur</c>, or null when the table does not store it.</summary>
    /// <param name="table">The table.</param>
    public long? CurrentConnections(StickTable table)
    {
        if (!table.StoreConnCur)
        {
            return null;
        }

        lock (_gate)
        {
            return _current;
        }
    }
}
