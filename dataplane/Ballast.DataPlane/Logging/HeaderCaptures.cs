using System.Collections.Immutable;
using System.Globalization;
using System.Net.Http;
using System.Text;
using Microsoft.AspNetCore.Http;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Logging;

/// <summary>
/// A frontend's <c>capture request header &lt;name&gt; len &lt;n&gt;</c> or <c>capture response header</c> lines, in
/// declaration order (HAProxy's capture index). A capture takes the value of the last occurrence of the header
/// (HAProxy's <c>http_capture_headers</c> overwrites on each line), truncated to <c>len</c> characters; a missing
/// header leaves its slot empty. Logged by <c>%hr</c>/<c>%hs</c> as <c>{v1|v2}</c> and by <c>%hrl</c>/<c>%hsl</c>
/// space-separated, with HAProxy's header encoding (<see cref="AppendEncoded"/>).
/// </summary>
internal sealed class HeaderCaptures
{
    /// <summary>Largest <c>len</c> accepted (HAProxy allows more; Ballast bounds the per-request memory).</summary>
    public const int MaxLength = 1024;

    private readonly ImmutableArray<(string Name, int Length)> _captures;

    private HeaderCaptures(ImmutableArray<(string Name, int Length)> captures) => _captures = captures;

    /// <summary>Number of captured headers.</summary>
    public int Count => _captures.Length;

    /// <summary>Builds the captures of a valid frontend; null when there are none.</summary>
    /// <param name="captures">The frontend's capture lines.</param>
    public static HeaderCaptures? Create(IEnumerable<V1.HeaderCapture> captures)
    {
        var list = captures.Select(c => (c.Name, (int)Math.Clamp(c.Len, 1u, MaxLength))).ToImmutableArray();
        return list.IsEmpty ? null : new HeaderCaptures(list);
    }

    /// <summary>Validates capture lines (for the snapshot validator).</summary>
    /// <param name="captures">The lines.</param>
    /// <param name="field">Field name for messages.</param>
    /// <returns>Errors.</returns>
    public static IEnumerable<string> Validate(IEnumerable<V1.HeaderCapture> captures, string field)
    {
        foreach (var capture in captures)
        {
            if (capture.Name.Length == 0 || capture.Name.Any(c => c <= ' ' || c >= 127 || c == ':'))
            {
                yield return $"{field}: header name '{capture.Name}' must be a non-empty token";
            }

            if (capture.Len is < 1 or > MaxLength)
            {
                yield return $"{field}: len of '{capture.Name}' must be 1-{MaxLength} (got {capture.Len})";
            }
        }
    }

    /// <summary>Captures from request headers.</summary>
    /// <param name="headers">The request headers as received.</param>
    public string?[] Capture(IHeaderDictionary headers)
    {
        var values = new string?[_captures.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var (name, length) = _captures[i];
            if (headers.TryGetValue(name, out var found) && found.Count > 0)
            {
                values[i] = Truncate(found[found.Count - 1] ?? string.Empty, length);
            }
        }

        return values;
    }

    /// <summary>Captures from a server's response headers (before response rules run).</summary>
    /// <param name="response">The server's response.</param>
    public string?[] Capture(HttpResponseMessage response)
    {
        var values = new string?[_captures.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var (name, length) = _captures[i];
            string? last = null;
            if (response.Headers.NonValidated.TryGetValues(name, out var found))
            {
                foreach (var value in found)
                {
                    last = value;
                }
            }
            else if (response.Content.Headers.NonValidated.TryGetValues(name, out var content))
            {
                foreach (var value in content)
                {
                    last = value;
                }
            }

            values[i] = last is null ? null : Truncate(last, length);
        }

        return values;
    }

    /// <summary>
    /// <c>%hr</c>/<c>%hs</c>: <c>{v1|v2}</c>; <c>%hrl</c>/<c>%hsl</c>: <c>v1 v2</c> with <c>-</c> for a missing value
    /// (nothing inside quotes). Nothing at all when the frontend captures nothing.
    /// </summary>
    /// <param name="values">Captured values, null when the frontend has no captures of this kind.</param>
    /// <param name="list">The list form.</param>
    /// <param name="quote">The <c>+Q</c> flag.</param>
    /// <param name="line">The output.</param>
    public static void Render(string?[]? values, bool list, bool quote, StringBuilder line)
    {
        if (values is null || values.Length == 0)
        {
            return;
        }

        if (!list)
        {
            if (quote)
            {
                line.Append('"');
            }

            line.Append('{');
            for (var i = 0; i < values.Length; i++)
            {
                if (i > 0)
                {
                    line.Append('|');
                }

                AppendEncoded(line, values[i]);
            }

            line.Append('}');
            if (quote)
            {
                line.Append('"');
            }

            return;
        }

        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                line.Append(' ');
            }

            if (quote)
            {
                line.Append('"');
            }

            if (values[i] is not null)
            {
                AppendEncoded(line, values[i]);
            }
            else if (!quote)
            {
                line.Append('-');
            }

            if (quote)
            {
                line.Append('"');
            }
        }
    }

    /// <summary>
    /// HAProxy's log header encoding (<c>hdr_encode_map</c>): control characters, bytes from 127 up and
    /// <c>"</c> <c>#</c> <c>{</c> <c>|</c> <c>}</c> are written as <c>#XX</c> (uppercase hex of the byte; UTF-8 bytes
    /// for non-ASCII characters).
    /// </summary>
    /// <param name="line">The output.</param>
    /// <param name="value">The value.</param>
    public static void AppendEncoded(StringBuilder line, string? value)
    {
        if (value is null)
        {
            return;
        }

        Span<byte> bytes = stackalloc byte[4];
        foreach (var c in value)
        {
            if (c is >= ' ' and < (char)127 and not '"' and not '#' and not '{' and not '|' and not '}')
            {
                line.Append(c);
                continue;
            }

            var count = c < 128 ? 1 : Encoding.UTF8.GetBytes([c], bytes);
            if (c < 128)
            {
                bytes[0] = (byte)c;
            }

            for (var i = 0; i < count; i++)
            {
                line.Append('#').Append(bytes[i].ToString("X2", CultureInfo.InvariantCulture));
            }
        }
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
