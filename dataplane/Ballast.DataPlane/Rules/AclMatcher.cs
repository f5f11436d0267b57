using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Primitives;

namespace Ballast.DataPlane.Rules;

/// <summary>
/// A compiled ACL (HAProxy section 7.1): one sample fetch and its patterns, built once per snapshot (regular
/// expressions, integer ranges and networks parsed up front). True when any pattern matches any occurrence of the
/// sample; a sample that does not exist matches nothing (so <c>!acl</c> is then true), as HAProxy.
/// Matching allocates nothing.
/// </summary>
internal sealed class AclMatcher
{
    /// <summary>Creates the matcher.</summary>
    /// <param name="name">ACL name (empty when inline).</param>
    /// <param name="fetch">Sample fetch.</param>
    /// <param name="argument">Header or query parameter name, when the fetch takes one.</param>
    /// <param name="match">Match method.</param>
    /// <param name="ignoreCase"><c>-i</c>.</param>
    /// <param name="strings">String patterns (str, beg, end, sub, dir, dom).</param>
    /// <param name="regexes">Regex patterns (reg).</param>
    /// <param name="integers">Integer patterns (int, and the predefined constants).</param>
    /// <param name="networks">Address patterns (ip).</param>
    public AclMatcher(
        string name,
        FetchKind fetch,
        string argument,
        MatchKind match,
        bool ignoreCase,
        string[] strings,
        Regex[] regexes,
        IntPattern[] integers,
        IpNetwork[] networks)
    {
        Name = name;
        Fetch = fetch;
        Argument = argument;
        Match = match;
        Comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        Strings = strings;
        Regexes = regexes;
        Integers = integers;
        Networks = networks;
    }

    /// <summary>ACL name (empty when inline).</summary>
    public string Name { get; }

    /// <summary>Sample fetch.</summary>
    public FetchKind Fetch { get; }

    /// <summary>Header or query parameter name.</summary>
    public string Argument { get; }

    /// <summary>Match method.</summary>
    public MatchKind Match { get; }

    /// <summary>Ordinal, or OrdinalIgnoreCase with <c>-i</c>.</summary>
    public StringComparison Comparison { get; }

    /// <summary>String patterns.</summary>
    public string[] Strings { get; }

    /// <summary>Compiled regular expressions.</summary>
    public Regex[] Regexes { get; }

    /// <summary>Integer ranges.</summary>
    public IntPattern[] Integers { get; }

    /// <summary>Networks.</summary>
    public IpNetwork[] Networks { get; }

    /// <summary>Evaluates the ACL for the request (and response) of <paramref name="session"/>.</summary>
    /// <param name="session">The request being processed.</param>
    public bool Evaluate(HttpRuleSession session)
    {
        switch (Fetch)
        {
            case FetchKind.Constant:
                return Integers.Length > 0 && Integers[0].Min == 1;
            case FetchKind.Header:
                return session.Context.Request.Headers.TryGetValue(Argument, out var values) && MatchHeader(values);
            case FetchKind.Path:
                return MatchString(session.Path);
            case FetchKind.Method:
                return MatchString(session.Context.Request.Method);
            case FetchKind.UrlParam:
                return MatchUrlParam(session.Query);
            case FetchKind.Source:
                var source = session.Context.Connection.RemoteIpAddress;
                return source is not null && MatchAddress(source);
            case FetchKind.SslFcSni:
                // The SNI the client sent on a TLS bind; absent on plain connections or without SNI (matches nothing).
                return session.Context.Features.Get<Tls.TlsConnectionState>()?.ServerName is { } sni && MatchString(sni);
            case FetchKind.Status:
                return session.ResponseStatus > 0 && MatchInteger(session.ResponseStatus);
            default:
                var counter = session.ReadCounter(Fetch);
                return counter is { } value && MatchInteger(value);
        }
    }

    private bool MatchHeader(StringValues values)
    {
        if (Match == MatchKind.Found)
        {
            return true;
        }

        // hdr() splits each header line on commas and trims spaces: every value is one occurrence (HAProxy).
        for (var i = 0; i < values.Count; i++)
        {
            var line = (values[i] ?? string.Empty).AsSpan();
            while (true)
            {
                var comma = line.IndexOf(',');
                var part = (comma < 0 ? line : line[..comma]).Trim(" \t");
                if (MatchString(part))
                {
                    return true;
                }

                if (comma < 0)
                {
                    break;
                }

                line = line[(comma + 1)..];
            }
        }

        return false;
    }

    private bool MatchUrlParam(ReadOnlySpan<char> query)
    {
        while (query.Length > 0)
        {
            var amp = query.IndexOf('&');
            var pair = amp < 0 ? query : query[..amp];
            if (pair.Length > Argument.Length && pair[Argument.Length] == '=' && pair.StartsWith(Argument, StringComparison.Ordinal))
            {
                if (Match == MatchKind.Found || MatchString(pair[(Argument.Length + 1)..]))
                {
                    return true;
                }
            }
            else if (pair.SequenceEqual(Argument) && (Match == MatchKind.Found || MatchString(ReadOnlySpan<char>.Empty)))
            {
                return true;
            }

            if (amp < 0)
            {
                break;
            }

            query = query[(amp + 1)..];
        }

        return false;
    }

    /// <summary>Matches a string sample with the string methods.</summary>
    /// <param name="sample">The sample.</param>
    public bool MatchString(ReadOnlySpan<char> sample)
    {
        switch (Match)
        {
            case MatchKind.Found:
                return true;
            case MatchKind.Reg:
                foreach (var regex in Regexes)
                {
                    try
                    {
                        if (regex.IsMatch(sample))
                        {
                            return true;
                        }
                    }
                    catch (RegexMatchTimeoutException)
                    {
                        // A backtracking pattern that runs away matches nothing.
                    }
                }

                return false;
            case MatchKind.Int:
                return long.TryParse(sample, out var number) && MatchInteger(number);
        }

        foreach (var pattern in Strings)
        {
            var matched = Match switch
            {
                MatchKind.Str => sample.Equals(pattern, Comparison),
                MatchKind.Beg => sample.StartsWith(pattern, Comparison),
                MatchKind.End => sample.EndsWith(pattern, Comparison),
                MatchKind.Sub => sample.Contains(pattern, Comparison),
                MatchKind.Dir => ContainsDelimited(sample, pattern, '/'),
                MatchKind.Dom => ContainsDelimited(sample, pattern, '.'),
                _ => false,
            };
            if (matched)
            {
                return true;
            }
        }

        return false;
    }

    private bool ContainsDelimited(ReadOnlySpan<char> sample, string pattern, char delimiter)
    {
        var pat = pattern.AsSpan().Trim(delimiter);
        if (pat.Length == 0)
        {
            return false;
        }

        var offset = 0;
        while (offset <= sample.Length - pat.Length)
        {
            var found = sample[offset..].IndexOf(pat, Comparison);
            if (found < 0)
            {
                return false;
            }

            var start = offset + found;
            var end = start + pat.Length;
            if ((start == 0 || sample[start - 1] == delimiter || (delimiter == '.' && sample[start - 1] == '/'))
                && (end == sample.Length || sample[end] == delimiter || (delimiter == '.' && sample[end] is '/' or ':')))
            {
                return true;
            }

            offset = start + 1;
        }

        return false;
    }

    private bool MatchInteger(long value)
    {
        if (Match == MatchKind.Found)
        {
            return true;
        }

        foreach (var pattern in Integers)
        {
            if (pattern.Matches(value))
            {
                return true;
            }
        }

        return false;
    }

    private bool MatchAddress(IPAddress address)
    {
        if (Match == MatchKind.Found)
        {
            return true;
        }

        foreach (var network in Networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
