using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// A <c>balance</c> statement: the algorithm and its arguments. A <c>balance</c> line replaces the previous one
/// entirely (arguments included), as HAProxy resets the algorithm's parameters on each line.
/// </summary>
/// <param name="Algorithm">The algorithm.</param>
internal sealed record BalanceSettings(Balance Algorithm)
{
    /// <summary>The <c>url_param</c> parameter name or the <c>hdr()</c> header name; empty otherwise.</summary>
    public string Param { get; init; } = string.Empty;

    /// <summary><c>balance uri len &lt;n&gt;</c>; 0 when not given.</summary>
    public uint UriLen { get; init; }

    /// <summary><c>balance uri depth &lt;n&gt;</c>; 0 when not given.</summary>
    public uint UriDepth { get; init; }

    /// <summary><c>balance uri path-only</c>.</summary>
    public bool UriPathOnly { get; init; }

    /// <summary><c>balance uri whole</c>.</summary>
    public bool UriWhole { get; init; }

    /// <summary><c>balance hdr(&lt;name&gt;) use_domain_only</c>.</summary>
    public bool UseDomainOnly { get; init; }

    /// <summary><c>balance random(&lt;draws&gt;)</c>; 0 when not given.</summary>
    public uint RandomDraws { get; init; }

    /// <summary>Writes the algorithm and its arguments into <paramref name="backend"/>.</summary>
    public void Apply(Backend backend)
    {
        backend.Balance = Algorithm;
        backend.BalanceParam = Param;
        backend.UriLen = UriLen;
        backend.UriDepth = UriDepth;
        backend.UriPathOnly = UriPathOnly;
        backend.UriWhole = UriWhole;
        backend.HdrUseDomainOnly = UseDomainOnly;
        backend.RandomDraws = RandomDraws;
    }
}

/// <summary>A <c>hash-type &lt;method&gt; [&lt;function&gt; [avalanche]]</c> statement.</summary>
/// <param name="Type">The method.</param>
/// <param name="Function">The function; <see cref="HashFunction.Default"/> when not given.</param>
/// <param name="Avalanche">Whether the <c>avalanche</c> modifier was given.</param>
internal readonly record struct HashSettings(HashType Type, HashFunction Function, bool Avalanche);
