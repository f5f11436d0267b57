using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Model;

/// <summary>
/// Maps the PROXY protocol, forwarding-header and http/tunnel timeout settings between the admin API records and
/// ballast.v1: frontend <c>timeoutHttpRequestMs</c>, <c>timeoutHttpKeepAliveMs</c>, <c>forwardfor*</c>; backend
/// <c>timeoutTunnelMs</c>, <c>forwarded</c> + <c>forwardedParams</c> (<see cref="ForwardedOption"/>). Unknown
/// forwardedParams words are left out here and reported by validation.
/// </summary>
internal static class ProxyHeaderMapping
{
    /// <summary>The words of <c>option forwarded</c> parameters, in header order.</summary>
    public static readonly IReadOnlyList<string> ForwardedWords = ["proto", "host", "by", "for"];

    /// <summary>Sets the frontend fields from <paramref name="spec"/>.</summary>
    public static Frontend WithProxyHeaders(this Frontend frontend, FrontendSpec spec)
    {
        frontend.TimeoutHttpRequestMs = spec.TimeoutHttpRequestMs;
        frontend.TimeoutHttpKeepAliveMs = spec.TimeoutHttpKeepAliveMs;
        frontend.Forwardfor = spec.Forwardfor;
        frontend.ForwardforExcept = spec.ForwardforExcept ?? string.Empty;
        frontend.ForwardforHeader = spec.ForwardforHeader ?? string.Empty;
        return frontend;
    }

    /// <summary>Adds the frontend fields of <paramref name="frontend"/>.</summary>
    public static FrontendSpec WithProxyHeaders(this FrontendSpec spec, Frontend frontend) => spec with
    {
        TimeoutHttpRequestMs = frontend.TimeoutHttpRequestMs,
        TimeoutHttpKeepAliveMs = frontend.TimeoutHttpKeepAliveMs,
        Forwardfor = frontend.Forwardfor,
        ForwardforExcept = frontend.ForwardforExcept,
        ForwardforHeader = frontend.ForwardforHeader,
    };

    /// <summary>Sets the backend fields from <paramref name="spec"/>; unknown forwardedParams words are reported in <paramref name="errors"/>.</summary>
    public static Backend WithProxyHeaders(this Backend backend, BackendSpec spec, string obj, List<Validation.ValidationError>? errors)
    {
        if (errors is not null)
        {
            Validation.ProxyHeaderRules.ValidateForwardedParams(spec, obj, errors);
        }

        backend.TimeoutTunnelMs = spec.TimeoutTunnelMs;
        backend.Forwarded = spec.Forwarded ? ToOption(spec.ForwardedParams ?? []) : null;
        return backend;
    }

    /// <summary>Adds the backend fields of <paramref name="backend"/>.</summary>
    public static BackendSpec WithProxyHeaders(this BackendSpec spec, Backend backend) => spec with
    {
        TimeoutTunnelMs = backend.TimeoutTunnelMs,
        Forwarded = backend.Forwarded is not null,
        ForwardedParams = backend.Forwarded is { } option ? Words(option) : [],
    };

    /// <summary>The <c>option forwarded</c> message of the given parameter words (case-insensitive).</summary>
    public static ForwardedOption ToOption(IEnumerable<string> words)
    {
        var set = new HashSet<string>(words, StringComparer.OrdinalIgnoreCase);
        return new ForwardedOption { Proto = set.Contains("proto"), Host = set.Contains("host"), By = set.Contains("by"), For = set.Contains("for") };
    }

    /// <summary>The parameter words of <paramref name="option"/>, in header order.</summary>
    public static IReadOnlyList<string> Words(ForwardedOption option)
    {
        var words = new List<string>(4);
        if (option.Proto)
        {
            words.Add("proto");
        }

        if (option.Host)
        {
            words.Add("host");
        }

        if (option.By)
        {
            words.Add("by");
        }

        if (option.For)
        {
            words.Add("for");
        }

        return words;
    }
}
