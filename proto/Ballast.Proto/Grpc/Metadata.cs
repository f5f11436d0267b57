using System.Collections;
using System.Text;

namespace Ballast.Proto.Grpc;

/// <summary>
/// Custom metadata of a gRPC call (request headers, response headers or trailers), in order, duplicates allowed.
/// Keys are lower-case ASCII (<c>0-9 a-z - _ .</c>); keys ending in <c>-bin</c> hold bytes, sent base64-encoded on the
/// wire, other keys hold printable ASCII (gRPC PROTOCOL-HTTP2 "Custom-Metadata"). Reserved headers (<c>grpc-*</c>,
/// <c>content-type</c>, <c>te</c>, <c>user-agent</c>, <c>:pseudo</c>) are not user metadata and are rejected.
/// </summary>
public sealed class Metadata : IEnumerable<Metadata.Entry>
{
    /// <summary>Suffix of keys whose values are binary.</summary>
    public const string BinarySuffix = "-bin";

    private readonly List<Entry> _entries = [];

    /// <summary>Number of entries.</summary>
    public int Count => _entries.Count;

    /// <summary>Adds an ASCII entry. The key is lower-cased; it must not end in <c>-bin</c>.</summary>
    /// <param name="key">Header name.</param>
    /// <param name="value">Printable ASCII value (0x20-0x7E).</param>
    public void Add(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var normalized = NormalizeKey(key);
        if (IsBinaryKey(normalized))
        {
            throw new ArgumentException($"Key '{normalized}' ends in '-bin': add a byte[] value.", nameof(key));
        }

        foreach (var c in value)
        {
            if (c < 0x20 || c > 0x7E)
            {
                throw new ArgumentException("Metadata values must be printable ASCII; use a '-bin' key for other data.", nameof(value));
            }
        }

        _entries.Add(new Entry(normalized, value, null));
    }

    /// <summary>Adds a binary entry. The key is lower-cased; it must end in <c>-bin</c>.</summary>
    /// <param name="key">Header name ending in <c>-bin</c>.</param>
    /// <param name="value">Bytes (the array is not copied).</param>
    public void Add(string key, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var normalized = NormalizeKey(key);
        if (!IsBinaryKey(normalized))
        {
            throw new ArgumentException($"Binary values need a key ending in '-bin', got '{normalized}'.", nameof(key));
        }

        _entries.Add(new Entry(normalized, null, value));
    }

    /// <summary>
    /// Adds a header received from a peer, skipping reserved names; <c>-bin</c> values may hold several
    /// comma-separated base64 values (padded or not). Returns false when the header was skipped as malformed.
    /// </summary>
    internal bool AddReceived(string name, string value)
    {
        var key = name.ToLowerInvariant();
        if (IsReservedKey(key))
        {
            return true;
        }

        if (!IsBinaryKey(key))
        {
            _entries.Add(new Entry(key, value, null));
            return true;
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            _entries.Add(new Entry(key, null, []));
            return true;
        }

        try
        {
            foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                _entries.Add(new Entry(key, null, Base64.Decode(part)));
            }

            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The value of the last entry named <paramref name="key"/>, or null. For <c>-bin</c> keys: unpadded base64.</summary>
    /// <param name="key">Header name (case-insensitive).</param>
    public string? GetValue(string key) => Find(key)?.Value;

    /// <summary>The bytes of the last entry named <paramref name="key"/>, or null. For ASCII keys: the ASCII bytes.</summary>
    /// <param name="key">Header name (case-insensitive).</param>
    public byte[]? GetValueBytes(string key) => Find(key)?.ValueBytes;

    /// <summary>All entries named <paramref name="key"/>, in order.</summary>
    /// <param name="key">Header name (case-insensitive).</param>
    public IEnumerable<Entry> GetAll(string key)
    {
        var normalized = key.ToLowerInvariant();
        return _entries.Where(e => e.Key == normalized);
    }

    /// <inheritdoc />
    public IEnumerator<Entry> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>True when <paramref name="key"/> (lower-case) is a protocol header rather than user metadata.</summary>
    /// <param name="key">Lower-case header name.</param>
    public static bool IsReservedKey(string key) =>
        key.StartsWith(':')
        || key.StartsWith("grpc-", StringComparison.Ordinal)
        || key is "content-type" or "te" or "user-agent" or "content-length" or "host" or "accept-encoding";

    /// <summary>True when <paramref name="key"/> names a binary entry (ends in <c>-bin</c>).</summary>
    /// <param name="key">Header name.</param>
    public static bool IsBinaryKey(string key) => key.EndsWith(BinarySuffix, StringComparison.OrdinalIgnoreCase);

    private Entry? Find(string key)
    {
        var normalized = key.ToLowerInvariant();
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            if (_entries[i].Key == normalized)
            {
                return _entries[i];
            }
        }

        return null;
    }

    private static string NormalizeKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var normalized = key.ToLowerInvariant();
        foreach (var c in normalized)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.'))
            {
                throw new ArgumentException($"Invalid metadata key '{key}': only 0-9 a-z - _ . are allowed.", nameof(key));
            }
        }

        if (IsReservedKey(normalized))
        {
            throw new ArgumentException($"'{normalized}' is a reserved header, not user metadata.", nameof(key));
        }

        return normalized;
    }

    /// <summary>One metadata entry.</summary>
    public sealed record Entry
    {
        private readonly string? _text;
        private readonly byte[]? _bytes;

        internal Entry(string key, string? text, byte[]? bytes)
        {
            Key = key;
            _text = text;
            _bytes = bytes;
        }

        /// <summary>Lower-case key.</summary>
        public string Key { get; }

        /// <summary>True for <c>-bin</c> entries.</summary>
        public bool IsBinary => _bytes is not null;

        /// <summary>The ASCII value; for binary entries the unpadded base64 wire form.</summary>
        public string Value => _text ?? Base64.EncodeUnpadded(_bytes!);

        /// <summary>The bytes; for ASCII entries the ASCII bytes of <see cref="Value"/>.</summary>
        public byte[] ValueBytes => _bytes ?? Encoding.ASCII.GetBytes(_text!);

        /// <inheritdoc />
        public override string ToString() => $"{Key}: {Value}";
    }
}
