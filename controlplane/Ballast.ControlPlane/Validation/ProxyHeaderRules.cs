using Ballast.ControlPlane.Model;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Validation;

/// <summary>
/// Field rules of the PROXY protocol, forwarding-header and http/tunnel timeout settings, with the admin API field
/// names: frontend <c>timeoutHttpRequestMs</c>/<c>timeoutHttpKeepAliveMs</c> and backend <c>timeoutTunnelMs</c>
/// (0 or 1-2147483647 ms, HAProxy's largest timeout, about 24.8 days), frontend <c>forwardfor</c> (mode http;
/// <c>forwardforExcept</c> an address or network, <c>forwardforHeader</c> a token, both only with forwardfor), backend
/// <c>forwarded</c> (mode http; parameters among proto, host, by, for) and server <c>sendProxy</c>. The node's
/// <c>SnapshotValidator</c> applies the same rules.
/// </summary>
internal static class ProxyHeaderRules
{
    /// <summary>Rules of a frontend's settings.</summary>
    public static void ValidateFrontend(Frontend frontend, string obj, List<ValidationError> errors)
    {
        Timeout(frontend.TimeoutHttpRequestMs, "timeoutHttpRequestMs", "timeoutClientMs", obj, errors);
        Timeout(frontend.TimeoutHttpKeepAliveMs, "timeoutHttpKeepAliveMs", "timeoutHttpRequestMs", obj, errors);
        if (!frontend.Forwardfor && (frontend.ForwardforExcept.Length > 0 || frontend.ForwardforHeader.Length > 0))
        {
            errors.Add(new(obj, frontend.ForwardforExcept.Length > 0 ? "forwardforExcept" : "forwardforHeader", "applies only with forwardfor: true"));
        }

        if (frontend.Forwardfor && frontend.Mode != Mode.Http)
        {
            errors.Add(new(obj, "forwardfor", "applies only to mode http"));
        }

        if (frontend.ForwardforExcept.Length > 0 && !DataPlaneOptionRules.IsNetwork(frontend.ForwardforExcept))
        {
            errors.Add(new(obj, "forwardforExcept", $"must be an address or a network such as 10.0.0.0/8 (got '{frontend.ForwardforExcept}')"));
        }

        if (frontend.ForwardforHeader.Length > 0 && !RuleSyntax.IsToken(frontend.ForwardforHeader))
        {
            errors.Add(new(obj, "forwardforHeader", $"must be a header name token (got '{frontend.ForwardforHeader}')"));
        }
    }

    /// <summary>Rules of a backend's settings.</summary>
    public static void ValidateBackend(Backend backend, string obj, List<ValidationError> errors)
    {
        Timeout(backend.TimeoutTunnelMs, "timeoutTunnelMs", "not set", obj, errors);
        if (backend.Forwarded is not null && backend.Mode != Mode.Http)
        {
            errors.Add(new(obj, "forwarded", "applies only to mode http"));
        }
    }

    /// <summary>Rules of the <c>forwardedParams</c> words of a backend spec (before conversion drops unknown words).</summary>
    public static void ValidateForwardedParams(BackendSpec spec, string obj, List<ValidationError> errors)
    {
        var words = spec.ForwardedParams ?? [];
        for (var i = 0; i < words.Count; i++)
        {
            if (!ProxyHeaderMapping.ForwardedWords.Contains(words[i], StringComparer.OrdinalIgnoreCase))
            {
                errors.Add(new(obj, $"forwardedParams[{i}]", $"must be one of: {string.Join(", ", ProxyHeaderMapping.ForwardedWords)} (got '{words[i]}')"));
            }
        }

        if (words.Count > 0 && !spec.Forwarded)
        {
            errors.Add(new(obj, "forwardedParams", "applies only with forwarded: true"));
        }
    }

    /// <summary>Rules of a server's settings.</summary>
    public static void ValidateServer(Server server, string obj, List<ValidationError> errors)
    {
        if (!Enum.IsDefined(server.SendProxy))
        {
            errors.Add(new(obj, "sendProxy", HaproxyWords.Expected<ProxyProtocolVersion>(((int)server.SendProxy).ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }
    }

    private static void Timeout(uint value, string field, string defaultText, string obj, List<ValidationError> errors)
    {
        if (value > ConfigValidator.MaxTimeoutMs)
        {
            errors.Add(new(obj, field, $"must be 0 (default: {defaultText}) or 1-{ConfigValidator.MaxTimeoutMs} ms (got {value})"));
        }
    }
}
