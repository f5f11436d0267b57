using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.LoadBalancing.Hashing;

/// <summary>
/// HAProxy's hash functions, bit for bit (src/hash.c <c>hash_sdbm</c>, <c>hash_djb2</c>, <c>hash_wt6</c>,
/// <c>hash_crc32</c>; include/haproxy/tools.h <c>full_hash</c>; src/tools.c <c>read_int64</c> for <c>none</c>), so that
/// the same key lands on the same server as with HAProxy. All arithmetic is unsigned 32-bit and wraps, as in C.
/// </summary>
internal static class HaproxyHash
{
    /// <summary>
    /// Hashes <paramref name="key"/> with <paramref name="function"/>, then applies the avalanche modifier when asked,
    /// as HAProxy's <c>gen_hash()</c> followed by <c>full_hash()</c> under <c>hash-type ... avalanche</c>.
    /// </summary>
    /// <param name="function">The effective function (never <see cref="V1.HashFunction.Default"/>, which means sdbm).</param>
    /// <param name="avalanche">Whether to mix the result with <see cref="FullHash"/>.</param>
    /// <param name="key">The key bytes.</param>
    public static uint Compute(V1.HashFunction function, bool avalanche, ReadOnlySpan<byte> key)
    {
        var hash = function switch
        {
            V1.HashFunction.Djb2 => Djb2(key),
            V1.HashFunction.Wt6 => Wt6(key),
            V1.HashFunction.Crc32 => Crc32(key),
            V1.HashFunction.None => ReadInt(key),
            _ => Sdbm(key),
        };
        return avalanche ? FullHash(hash) : hash;
    }

    /// <summary>sdbm (HAProxy's default): <c>hash = c + (hash &lt;&lt; 6) + (hash &lt;&lt; 16) - hash</c>.</summary>
    /// <param name="key">The key bytes.</param>
    public static uint Sdbm(ReadOnlySpan<byte> key)
    {
        uint hash = 0;
        foreach (var c in key)
        {
            hash = unchecked(c + (hash << 6) + (hash << 16) - hash);
        }

        return hash;
    }

    /// <summary>djb2: <c>hash = hash * 33 + c</c>, starting at 5381.</summary>
    /// <param name="key">The key bytes.</param>
    public static uint Djb2(ReadOnlySpan<byte> key)
    {
        uint hash = 5381;
        foreach (var c in key)
        {
            hash = unchecked((hash << 5) + hash + c);
        }

        return hash;
    }

    /// <summary>wt6, the function designed for HAProxy: two rotating accumulators with data-driven steps.</summary>
    /// <param name="key">The key bytes.</param>
    public static uint Wt6(ReadOnlySpan<byte> key)
    {
        uint h0 = 0xa53c965a;
        uint h1 = 0x5ca6953a;
        var step0 = 6;
        var step1 = 18;
        foreach (var c in key)
        {
            uint t = c;
            h0 = ~(h0 ^ t);
            h1 = unchecked(~(h1 + t));
            t = (h1 << step0) | (h1 >> (32 - step0));
            h1 = (h0 << step1) | (h0 >> (32 - step1));
            h0 = t;
            t = ((h0 >> 16) ^ h1) & 0xffff;
            step0 = (int)(t & 0x1f);
            step1 = (int)(t >> 11);
        }

        return h0 ^ h1;
    }

    /// <summary>CRC32 (IEEE 802.3 polynomial, reflected, as Ethernet/gzip/PNG), bitwise as HAProxy computes it.</summary>
    /// <param name="key">The key bytes.</param>
    public static uint Crc32(ReadOnlySpan<byte> key)
    {
        var hash = uint.MaxValue;
        foreach (var c in key)
        {
            hash ^= c;
            for (var bit = 0; bit < 8; bit++)
            {
                hash = (hash >> 1) ^ ((hash & 1) != 0 ? 0xedb88320u : 0u);
            }
        }

        return ~hash;
    }

    /// <summary>
    /// <c>hash-type ... none</c> (HAProxy 2.7+): the key is used as the hash: its leading decimal digits (after an
    /// optional sign) read as a 64-bit integer, saturated, truncated to 32 bits, as <c>read_int64()</c>.
    /// </summary>
    /// <param name="key">The key bytes.</param>
    public static uint ReadInt(ReadOnlySpan<byte> key)
    {
        var negative = false;
        if (!key.IsEmpty && key[0] is (byte)'-' or (byte)'+')
        {
            negative = key[0] == '-';
            key = key[1..];
        }

        ulong value = 0;
        foreach (var c in key)
        {
            var digit = (uint)(c - '0');
            if (digit > 9)
            {
                break;
            }

            if (value > ulong.MaxValue / 10 || value * 10 > ulong.MaxValue - digit)
            {
                value = ulong.MaxValue;
                break;
            }

            value = (value * 10) + digit;
        }

        long result;
        if (negative)
        {
            result = value > 0x8000000000000000UL ? long.MinValue : unchecked(-(long)value);
        }
        else
        {
            result = value > long.MaxValue ? long.MaxValue : (long)value;
        }

        return unchecked((uint)result);
    }

    /// <summary>
    /// Bob Jenkins' 32-bit full avalanche integer hash followed by a multiplication by 3221225473, as HAProxy's
    /// <c>full_hash()</c>: the <c>avalanche</c> modifier, and the key of every consistent-hash point.
    /// </summary>
    /// <param name="a">The value to mix.</param>
    public static uint FullHash(uint a)
    {
        unchecked
        {
            a = a + 0x7ed55d16 + (a << 12);
            a = (a ^ 0xc761c23c) ^ (a >> 19);
            a = a + 0x165667b1 + (a << 5);
            a = (a + 0xd3a2646c) ^ (a << 9);
            a = a + 0xfd7046c5 + (a << 3);
            a = (a ^ 0xb55a4f09) ^ (a >> 16);
            return a * 3221225473u;
        }
    }
}
