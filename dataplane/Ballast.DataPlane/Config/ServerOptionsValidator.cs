using System.Net;
using Ballast.DataPlane.Health;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Config;

/// <summary>
/// Node-side checks of the server, check, queue, retry and header options (called by <see cref="SnapshotValidator"/>):
/// <c>backup</c>, <c>slowstart</c>, check <c>port</c>/<c>addr</c>, <c>fastinter</c>, <c>downinter</c>,
/// <c>http-check expect</c>, <c>timeout queue</c>, <c>retries</c>, <c>retry-on</c>, <c>option redispatch</c> and
/// <c>option forwardfor</c>. Errors name the object and the proto field, HAProxy-style.
/// </summary>
internal static class ServerOptionsValidator
{
    /// <summary>Largest <c>retries</c> accepted.</summary>
    public const uint MaxRetries = 100;

    /// <summary>Validates the options of <paramref name="backend"/>.</summary>
    /// <param name="backend">The backend.</param>
    /// <param name="where">How errors name it (<c>backend 'app'</c>).</param>
    /// <param name="errors">Where errors go.</param>
    public static void Validate(V1.Backend backend, string where, List<string> errors)
    {
        if (backend.TimeoutQueueMs > SnapshotValidator.MaxTimeoutMs)
        {
            errors.Add($"{where}: timeout_queue_ms {backend.TimeoutQueueMs} is out of range (0-{SnapshotValidator.MaxTimeoutMs})");
        }

        if (backend.HasRetries && backend.Retries > MaxRetries)
        {
            errors.Add($"{where}: retries {backend.Retries} is out of range (0-{MaxRetries})");
        }

        RetryOnParser.Parse(backend.RetryOn, out var unknown);
        if (unknown is not null)
        {
            errors.Add($"{where}: unknown retry_on keyword '{unknown}' (expected none, conn-failure, empty-response, junk-response, response-timeout, 0rtt-rejected, all-retryable-errors or one of {string.Join(' ', RetryOnParser.AllowedStatuses)})");
        }

        if (backend.HasRedispatch && backend.HasRetries && Math.Abs((long)backend.Redispatch) > Math.Max(1, backend.Retries) && backend.Redispatch < 0)
        {
            errors.Add($"{where}: redispatch {backend.Redispatch} refers to a retry before the first one (retries {backend.Retries})");
        }

        if (!backend.Forwardfor && (backend.ForwardforExcept.Length > 0 || backend.ForwardforHeader.Length > 0))
        {
            errors.Add($"{where}: forwardfor_except and forwardfor_header need forwardfor");
        }

        if (backend.ForwardforExcept.Length > 0 && !ForwardFor.TryParseNetwork(backend.ForwardforExcept, out _))
        {
            errors.Add($"{where}: invalid forwardfor_except '{backend.ForwardforExcept}' (expected an address or network, e.g. 10.0.0.0/8)");
        }

        if (backend.ForwardforHeader.Length > 0 && !IsHeaderName(backend.ForwardforHeader))
        {
            errors.Add($"{where}: invalid forwardfor_header '{backend.ForwardforHeader}'");
        }

        if (backend.Forwardfor && backend.Mode != V1.Mode.Http)
        {
            errors.Add($"{where}: forwardfor needs mode http");
        }

        ValidateCheck(backend.HealthCheck, where, errors);
        foreach (var server in backend.Servers)
        {
            var at = $"{where} server '{server.Name}'";
            if (server.SlowstartMs > SnapshotValidator.MaxTimeoutMs)
            {
                errors.Add($"{at}: slowstart_ms {server.SlowstartMs} is out of range (0-{SnapshotValidator.MaxTimeoutMs})");
            }

            if (server.CheckPort > 65535)
            {
                errors.Add($"{at}: invalid check_port {server.CheckPort} (expected 1-65535, or 0 for the server's port)");
            }

            if (server.CheckAddr.Length > 0 && !IPAddress.TryParse(server.CheckAddr, out _) && Uri.CheckHostName(server.CheckAddr) != UriHostNameType.Dns)
            {
                errors.Add($"{at}: invalid check_addr '{server.CheckAddr}'");
            }

            Health.PassiveHealthValidator.Validate(backend, server, at, errors);
        }
    }

    private static void ValidateCheck(V1.HealthCheck? check, string where, List<string> errors)
    {
        if (check is null)
        {
            return;
        }

        if (check.FastinterMs > SnapshotValidator.MaxTimeoutMs || check.DowninterMs > SnapshotValidator.MaxTimeoutMs)
        {
            errors.Add($"{where}: health check fastinter_ms/downinter_ms is out of range (0-{SnapshotValidator.MaxTimeoutMs})");
        }

        switch (check.ExpectKind)
        {
            case V1.HttpCheckExpect.Default:
                if (check.ExpectValue.Length > 0)
                {
                    errors.Add($"{where}: health check expect_value needs expect_kind");
                }

                break;
            case V1.HttpCheckExpect.Status when !HttpCheckExpectations.IsValidStatusList(check.ExpectValue):
                errors.Add($"{where}: health check expect status '{check.ExpectValue}' is not a list of HTTP statuses or ranges (e.g. 200,301-302)");
                break;
            case V1.HttpCheckExpect.Rstatus when check.ExpectValue.Length == 0 || !HttpCheckExpectations.IsValidRegex(check.ExpectValue):
                errors.Add($"{where}: health check expect rstatus '{check.ExpectValue}' is not a valid regular expression");
                break;
            case V1.HttpCheckExpect.String when check.ExpectValue.Length == 0:
                errors.Add($"{where}: health check expect string needs expect_value");
                break;
            case V1.HttpCheckExpect.Status or V1.HttpCheckExpect.Rstatus or V1.HttpCheckExpect.String:
                break;
            default:
                errors.Add($"{where}: unknown health check expect_kind {(int)check.ExpectKind}");
                break;
        }

        if (check.ExpectKind != V1.HttpCheckExpect.Default && check.Type != V1.HealthCheckType.HealthCheckHttp)
        {
            errors.Add($"{where}: health check expect_kind needs an HTTP check");
        }
    }

    private static bool IsHeaderName(string value)
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
