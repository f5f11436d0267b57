using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Config;

/// <summary>
/// Validates, for <see cref="SnapshotValidator"/>, the PROXY protocol, forwarding-header and http/tunnel timeout
/// fields: frontend <c>timeout http-request|http-keep-alive</c> and backend <c>timeout tunnel</c> (0 to
/// <see cref="SnapshotValidator.MaxTimeoutMs"/>, HAProxy's ~24.8 days), frontend <c>option forwardfor [except]
/// [header]</c> (mode http, a network, a header-name token), backend <c>option forwarded</c> (mode http) and server
/// <c>send-proxy</c> (a known version).
/// </summary>
internal static class ProxyHeaderOptionsValidator
{
    /// <summary>Adds the errors of <paramref name="frontend"/>.</summary>
    /// <param name="frontend">The frontend.</param>
    /// <param name="where">Error prefix, e.g. <c>frontend 'web'</c>.</param>
    /// <param name="errors">Errors found so far.</param>
    public static void ValidateFrontend(V1.Frontend frontend, string where, List<string> errors)
    {
        Timeout(frontend.TimeoutHttpRequestMs, "timeout_http_request_ms", where, errors);
        Timeout(frontend.TimeoutHttpKeepAliveMs, "timeout_http_keep_alive_ms", where, errors);
        if (!frontend.Forwardfor && (frontend.ForwardforExcept.Length > 0 || frontend.ForwardforHeader.Length > 0))
        {
            errors.Add($"{where}: forwardfor_except and forwardfor_header need forwardfor");
        }

        if (frontend.ForwardforExcept.Length > 0 && !ForwardFor.TryParseNetwork(frontend.ForwardforExcept, out _))
        {
            errors.Add($"{where}: invalid forwardfor_except '{frontend.ForwardforExcept}' (expected an address or network, e.g. 10.0.0.0/8)");
        }

        if (frontend.ForwardforHeader.Length > 0 && !IsToken(frontend.ForwardforHeader))
        {
            errors.Add($"{where}: invalid forwardfor_header '{frontend.ForwardforHeader}' (expected a header name token)");
        }

        if (frontend.Forwardfor && frontend.Mode != V1.Mode.Http)
        {
            errors.Add($"{where}: forwardfor needs mode http");
        }
    }

    /// <summary>Adds the errors of <paramref name="backend"/> and its servers.</summary>
    /// <param name="backend">The backend.</param>
    /// <param name="where">Error prefix, e.g. <c>backend 'app'</c>.</param>
    /// <param name="errors">Errors found so far.</param>
    public static void ValidateBackend(V1.Backend backend, string where, List<string> errors)
    {
        Timeout(backend.TimeoutTunnelMs, "timeout_tunnel_ms", where, errors);
        if (backend.Forwarded is not null && backend.Mode != V1.Mode.Http)
        {
            errors.Add($"{where}: forwarded needs mode http");
        }

        foreach (var server in backend.Servers)
        {
            if (!Enum.IsDefined(server.SendProxy))
            {
                errors.Add($"{where} server '{server.Name}': unknown send_proxy {(int)server.SendProxy} (expected none, v1 or v2)");
            }
        }
    }

    private static void Timeout(uint value, string field, string where, List<string> errors)
    {
        if (value > SnapshotValidator.MaxTimeoutMs)
        {
            errors.Add($"{where}: {field} {value} is out of range (0-{SnapshotValidator.MaxTimeoutMs})");
        }
    }

    private static bool IsToken(string value)
    {
        foreach (var c in value)
        {
            if (c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return value.Length > 0;
    }
}
