using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Ballast.DataPlane.Config;
using Microsoft.Extensions.Primitives;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.LoadBalancing.Hashing;

/// <summary>
/// Extracts and hashes the key of the hashing algorithms exactly as HAProxy's src/backend.c does:
/// <c>get_server_sh</c> (source), <c>get_server_uh</c> (uri), <c>get_server_ph</c> (url_param) and
/// <c>get_server_hh</c> (hdr). Keys are hashed as bytes: the request-target as received (UTF-8) and header values
/// as Kestrel decoded them (Latin-1). Nothing is allocated for keys up to 1 KiB.
/// </summary>
internal static class HashKeys
{
    private const int StackLimit = 1024;

    private delegate bool SpanHasher(ReadOnlySpan<byte> text, BalanceSettings settings, out uint hash);

    /// <summary>Computes the request's hash for a hashing algorithm.</summary>
    /// <param name="settings">The backend's balance settings (<see cref="BalanceSettings.IsHash"/>).</param>
    /// <param name="input">The request.</param>
    /// <param name="hash">The hash, when the key is present.</param>
    /// <returns>False when the request lacks the key (no query parameter, no header value): HAProxy then falls back
    /// to round robin.</returns>
    public static bool TryHash(BalanceSettings settings, in BalanceInput input, out uint hash)
    {
        hash = 0;
        switch (settings.Algorithm)
        {
            case V1.Balance.Source:
                return input.Source is { } source && TryHashSource(source, settings.Avalanche, out hash);
            case V1.Balance.Uri:
                return input.Target is { } uri && HashText(uri, Encoding.UTF8, settings, HashUri, out hash);
            case V1.Balance.UrlParam:
                return input.Target is { } target && HashText(target, Encoding.UTF8, settings, HashUrlParam, out hash);
            case V1.Balance.Hdr:
                return input.Headers is { } headers
                    && TryFirstHeaderValue(headers, settings.Param, out var line, out var range)
                    && range.GetOffsetAndLength(line.Length).Length > 0
                    && HashText(line.AsSpan()[range], Encoding.Latin1, settings, HashHeaderValue, out hash);
            default:
                return false;
        }
    }

    /// <summary>
    /// <c>balance source</c>: the address's 32-bit big-endian words XORed together (so an IPv4 address hashes to
    /// itself), then the avalanche modifier if set. HAProxy applies no hash function here. IPv4-mapped IPv6
    /// addresses are hashed as IPv4 (what a HAProxy bind on an IPv4 address sees).
    /// </summary>
    /// <param name="address">Client address.</param>
    /// <param name="avalanche">Whether the avalanche modifier applies.</param>
    /// <param name="hash">The hash.</param>
    public static bool TryHashSource(IPAddress address, bool avalanche, out uint hash)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
            || !address.TryWriteBytes(bytes, out var written))
        {
            hash = 0;
            return false;
        }

        uint h = 0;
        for (var offset = 0; offset + 4 <= written; offset += 4)
        {
            h ^= BinaryPrimitives.ReadUInt32BigEndian(bytes[offset..]);
        }

        hash = avalanche ? HaproxyHash.FullHash(h) : h;
        return true;
    }

    /// <summary>
    /// <c>balance uri</c>: with <c>path-only</c>, the key starts at the path (<c>http_get_path()</c>: scheme and
    /// authority of an absolute URI skipped, empty when there is no path); it is cut to <c>len</c> characters, then
    /// ends before the <c>depth + 1</c>-th '/' and, unless <c>whole</c>, before the first '?'.
    /// </summary>
    /// <param name="uri">The request-target.</param>
    /// <param name="settings">The settings.</param>
    /// <param name="hash">The hash.</param>
    public static bool HashUri(ReadOnlySpan<byte> uri, BalanceSettings settings, out uint hash)
    {
        if (settings.UriPathOnly)
        {
            uri = PathOf(uri);
        }

        if (settings.UriLen > 0 && uri.Length > settings.UriLen)
        {
            uri = uri[..settings.UriLen];
        }

        var stopAtSlash = settings.UriDepth > 0 ? settings.UriDepth + 1 : 0;
        var slashes = 0;
        var end = 0;
        for (; end < uri.Length; end++)
        {
            var c = uri[end];
            if (c == '/')
            {
                slashes++;
                if (slashes == stopAtSlash)
                {
                    break;
                }
            }
            else if (c == '?' && !settings.UriWhole)
            {
                break;
            }
        }

        hash = HaproxyHash.Compute(settings.Function, settings.Avalanche, uri[..end]);
        return true;
    }

    /// <summary>
    /// <c>balance url_param</c>: in the query string (after the first '?'), the first <c>name=</c> parameter
    /// (case-sensitive, no decoding) is found and its value, up to the next '&amp;', is hashed (an empty value too).
    /// </summary>
    /// <param name="uri">The request-target.</param>
    /// <param name="settings">The settings (<see cref="BalanceSettings.Param"/> is the name).</param>
    /// <param name="hash">The hash.</param>
    /// <returns>False when there is no query string or no such parameter.</returns>
    public static bool HashUrlParam(ReadOnlySpan<byte> uri, BalanceSettings settings, out uint hash)
    {
        hash = 0;
        var question = uri.IndexOf((byte)'?');
        if (question < 0)
        {
            return false;
        }

        var name = settings.Param;
        var plen = name.Length;
        var parameters = uri[(question + 1)..];
        while (parameters.Length > plen)
        {
            if (parameters[plen] == '=' && NameEquals(parameters[..plen], name))
            {
                var value = parameters[(plen + 1)..];
                var amp = value.IndexOf((byte)'&');
                hash = HaproxyHash.Compute(settings.Function, settings.Avalanche, amp < 0 ? value : value[..amp]);
                return true;
            }

            var next = parameters.IndexOf((byte)'&');
            if (next < 0)
            {
                return false;
            }

            parameters = parameters[(next + 1)..];
        }

        return false;
    }

    /// <summary>
    /// <c>balance hdr()</c> on one header value; with <c>use_domain_only</c> only the label before the last dot is
    /// hashed ("1wt" of "haproxy.1wt.eu", the whole value when there is no dot), as <c>get_server_hh()</c>.
    /// </summary>
    /// <param name="value">The header value (non-empty).</param>
    /// <param name="settings">The settings.</param>
    /// <param name="hash">The hash.</param>
    public static bool HashHeaderValue(ReadOnlySpan<byte> value, BalanceSettings settings, out uint hash)
    {
        if (!settings.UseDomainOnly)
        {
            hash = HaproxyHash.Compute(settings.Function, settings.Avalanche, value);
            return true;
        }

        // Walk back from the end: the first dot seen marks the end of the domain, the next one its start.
        var len = value.Length;
        var p = len;
        var end = len;
        var inDomain = false;
        while (len > 0)
        {
            if (inDomain)
            {
                if (value[p - 1] == '.')
                {
                    break;
                }
            }
            else if (p < value.Length && value[p] == '.')
            {
                end = p;
                inDomain = true;
            }

            p--;
            len--;
        }

        hash = HaproxyHash.Compute(settings.Function, settings.Avalanche, value[p..end]);
        return true;
    }

    /// <summary>
    /// The first value of a header as HAProxy's <c>http_find_header()</c> sees it: the first field line with that
    /// name (case-insensitive), up to its first comma outside double quotes, without surrounding spaces or tabs.
    /// </summary>
    /// <param name="headers">Request headers.</param>
    /// <param name="name">Header name.</param>
    /// <returns>The value, possibly empty; null when the header is absent.</returns>
    public static string? FirstHeaderValue(Microsoft.AspNetCore.Http.IHeaderDictionary headers, string name) =>
        TryFirstHeaderValue(headers, name, out var line, out var range) ? line[range] : null;

    /// <summary>As <see cref="FirstHeaderValue"/>, without allocating: the value is <c>line[range]</c>.</summary>
    /// <param name="headers">Request headers.</param>
    /// <param name="name">Header name.</param>
    /// <param name="line">The first field line of the header.</param>
    /// <param name="range">Where the first value is in <paramref name="line"/>.</param>
    /// <returns>False when the header is absent.</returns>
    public static bool TryFirstHeaderValue(Microsoft.AspNetCore.Http.IHeaderDictionary headers, string name, out string line, out Range range)
    {
        line = string.Empty;
        range = default;
        if (!headers.TryGetValue(name, out var values) || values.Count == 0)
        {
            return false;
        }

        line = values[0] ?? string.Empty;
        var end = line.Length;
        bool quoted = false, escaped = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (escaped)
            {
                escaped = false;
            }
            else if (quoted)
            {
                if (c == '\\')
                {
                    escaped = true;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                end = i;
                break;
            }
        }

        var start = 0;
        while (start < end && line[start] is ' ' or '\t')
        {
            start++;
        }

        while (end > start && line[end - 1] is ' ' or '\t')
        {
            end--;
        }

        range = start..end;
        return true;
    }

    /// <summary>The path of a request-target as <c>http_get_path()</c>: empty for "*" or when there is no '/'.</summary>
    /// <param name="uri">The request-target.</param>
    public static ReadOnlySpan<byte> PathOf(ReadOnlySpan<byte> uri)
    {
        if (uri.IsEmpty || uri[0] == '*')
        {
            return [];
        }

        var p = 0;
        if (char.IsAsciiLetter((char)uri[0]))
        {
            p++;
            while (p < uri.Length && (char.IsAsciiLetterOrDigit((char)uri[p]) || uri[p] is (byte)'+' or (byte)'-' or (byte)'.'))
            {
                p++;
            }

            if (p == uri.Length || uri[p++] != ':' || p == uri.Length || uri[p++] != '/' || p == uri.Length || uri[p++] != '/')
            {
                return [];
            }
        }

        var slash = uri[p..].IndexOf((byte)'/');
        return slash < 0 ? [] : uri[(p + slash)..];
    }

    private static bool NameEquals(ReadOnlySpan<byte> bytes, string name)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != name[i])
            {
                return false;
            }
        }

        return true;
    }

    private static bool HashText(ReadOnlySpan<char> text, Encoding encoding, BalanceSettings settings, SpanHasher hasher, out uint hash)
    {
        var max = encoding.GetMaxByteCount(text.Length);
        byte[]? rented = null;
        Span<byte> buffer = max <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var length = encoding.GetBytes(text, buffer);
            return hasher(buffer[..length], settings, out hash);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
