using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Validation;

/// <summary>
/// Field rules of the server, check, queue, retry and header options (HAProxy <c>backup</c>, <c>slowstart</c>,
/// <c>port</c>, <c>addr</c>, <c>fastinter</c>, <c>downinter</c>, <c>http-check expect</c>, <c>option allbackups</c>,
/// <c>timeout queue</c>, <c>retries</c>, <c>retry-on</c>, <c>option redispatch</c>, <c>option forwardfor</c>), with the
/// admin API field names. The node's <c>SnapshotValidator</c> applies the same rules.
/// </summary>
internal static class DataPlaneOptionRules
{
    /// <summary>Largest <c>retries</c>.</summary>
    public const uint MaxRetries = 100;

    /// <summary>The <c>retry-on</c> keywords HAProxy 2.6 accepts (status codes included).</summary>
    public static readonly IReadOnlySet<string> RetryOnWords = new HashSet<string>(StringComparer.Ordinal)
    {
        "none", "conn-failure", "empty-response", "junk-response", "response-timeout", "0rtt-rejected", "all-retryable-errors",
        "401", "403", "404", "408", "425", "500", "501", "502", "503", "504",
    };

    /// <summary>Rules of the backend-level options.</summary>
    public static void ValidateBackend(Backend backend, string obj, List<ValidationError> errors)
    {
        if (backend.TimeoutQueueMs > int.MaxValue)
        {
            errors.Add(new(obj, "timeoutQueueMs", $"must be 0 (= timeoutConnectMs) or 1-{int.MaxValue} (got {backend.TimeoutQueueMs})"));
        }

        if (backend.HasRetries && backend.Retries > MaxRetries)
        {
            errors.Add(new(obj, "retries", $"must be 0-{MaxRetries} (got {backend.Retries})"));
        }

        for (var i = 0; i < backend.RetryOn.Count; i++)
        {
            if (!RetryOnWords.Contains(backend.RetryOn[i]))
            {
                errors.Add(new(obj, $"retryOn[{i}]", $"must be one of: {string.Join(", ", RetryOnWords)} (got '{backend.RetryOn[i]}')"));
            }
        }

        if (!backend.Forwardfor && (backend.ForwardforExcept.Length > 0 || backend.ForwardforHeader.Length > 0))
        {
            errors.Add(new(obj, backend.ForwardforExcept.Length > 0 ? "forwardforExcept" : "forwardforHeader", "applies only with forwardfor: true"));
        }

        if (backend.Forwardfor && backend.Mode != Mode.Http)
        {
            errors.Add(new(obj, "forwardfor", "needs mode http (the backend is mode tcp)"));
        }

        if (backend.ForwardforExcept.Length > 0 && !IsNetwork(backend.ForwardforExcept))
        {
            errors.Add(new(obj, "forwardforExcept", $"must be an address or a network such as 10.0.0.0/8 (got '{backend.ForwardforExcept}')"));
        }

        if (backend.ForwardforHeader.Length > 0 && !IsToken(backend.ForwardforHeader))
        {
            errors.Add(new(obj, "forwardforHeader", $"must be a header name token (got '{backend.ForwardforHeader}')"));
        }

        var check = backend.HealthCheck ?? new HealthCheck();
        if (check.FastinterMs > int.MaxValue)
        {
            errors.Add(new(obj, "healthCheck.fastinterMs", $"must be 0 (= interMs) or 1-{int.MaxValue} (got {check.FastinterMs})"));
        }

        if (check.DowninterMs > int.MaxValue)
        {
            errors.Add(new(obj, "healthCheck.downinterMs", $"must be 0 (= interMs) or 1-{int.MaxValue} (got {check.DowninterMs})"));
        }

        switch (check.ExpectKind)
        {
            case HttpCheckExpect.Default when check.ExpectValue.Length > 0:
                errors.Add(new(obj, "healthCheck.expectValue", "needs expectKind status, rstatus or string"));
                break;
            case HttpCheckExpect.Status when !IsStatusList(check.ExpectValue):
                errors.Add(new(obj, "healthCheck.expectValue", $"must be HTTP statuses or ranges such as 200,301-302 for expectKind status (got '{check.ExpectValue}')"));
                break;
            case HttpCheckExpect.Rstatus when !IsRegex(check.ExpectValue):
                errors.Add(new(obj, "healthCheck.expectValue", $"must be a regular expression for expectKind rstatus (got '{check.ExpectValue}')"));
                break;
            case HttpCheckExpect.String when check.ExpectValue.Length == 0:
                errors.Add(new(obj, "healthCheck.expectValue", "must not be empty for expectKind string"));
                break;
        }

        if (check.ExpectKind != HttpCheckExpect.Default && check.Type != HealthCheckType.HealthCheckHttp)
        {
            errors.Add(new(obj, "healthCheck.expectKind", "needs healthCheck.type http"));
        }
    }

    /// <summary>Rules of the server-level options.</summary>
    public static void ValidateServer(Server server, string obj, List<ValidationError> errors)
    {
        if (server.SlowstartMs > int.MaxValue)
        {
            errors.Add(new(obj, "slowstartMs", $"must be 0 (off) or 1-{int.MaxValue} (got {server.SlowstartMs})"));
        }

        if (server.Maxqueue > int.MaxValue)
        {
            errors.Add(new(obj, "maxqueue", $"must be 0 (unlimited) or 1-{int.MaxValue} (got {server.Maxqueue})"));
        }

        if (server.CheckPort > 65535)
        {
            errors.Add(new(obj, "checkPort", $"must be 0 (the server's port) or 1-65535 (got {server.CheckPort})"));
        }

        if (server.CheckAddr.Length > 0 && !IPAddress.TryParse(server.CheckAddr, out _) && Uri.CheckHostName(server.CheckAddr) != UriHostNameType.Dns)
        {
            errors.Add(new(obj, "checkAddr", $"must be an IP literal or a host name (got '{server.CheckAddr}')"));
        }
    }

    internal static bool IsNetwork(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return IPAddress.TryParse(text, out _);
        }

        if (!IPAddress.TryParse(text.AsSpan(0, slash), out var address))
        {
            return false;
        }

        var suffix = text[(slash + 1)..];
        if (suffix.Contains('.', StringComparison.Ordinal))
        {
            return IPAddress.TryParse(suffix, out var mask) && mask.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
        }

        var max = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        return int.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out var length) && length <= max;
    }

    private static bool IsStatusList(string codes)
    {
        var parts = codes.Split(',', StringSplitOptions.TrimEntries);
        return codes.Length > 0 && parts.All(part =>
        {
            var bounds = part.Split('-');
            return bounds.Length is 1 or 2
                && bounds.All(b => int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 100 and <= 599);
        });
    }

    private static bool IsRegex(string pattern)
    {
        if (pattern.Length == 0)
        {
            return false;
        }

        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static bool IsToken(string value) =>
        value.All(c => c > ' ' && c < 127 && !"()<>@,;:\\\"/[]?={}".Contains(c, StringComparison.Ordinal));
}
