using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Health;

/// <summary>
/// Snapshot rules of passive health, as HAProxy 2.6 parses <c>observe</c>/<c>error-limit</c>/<c>on-error</c> (the
/// control plane's <c>PassiveHealthRules</c> apply the same): known enum values, <c>observe layer7</c> only in mode
/// http ("'layer7' can only be used in http proxies"), <c>error-limit</c> within int range.
/// </summary>
internal static class PassiveHealthValidator
{
    /// <summary>Adds the errors of <paramref name="server"/> of <paramref name="backend"/> to <paramref name="errors"/>.</summary>
    /// <param name="backend">The backend.</param>
    /// <param name="server">One of its servers.</param>
    /// <param name="at">Where, for the messages.</param>
    /// <param name="errors">Collected errors.</param>
    public static void Validate(V1.Backend backend, V1.Server server, string at, List<string> errors)
    {
        if (!Enum.IsDefined(server.Observe))
        {
            errors.Add($"{at}: unknown observe {(int)server.Observe}");
        }
        else if (server.Observe == V1.Observe.Layer7 && backend.Mode != V1.Mode.Http)
        {
            errors.Add($"{at}: observe layer7 needs mode http");
        }

        if (!Enum.IsDefined(server.OnError))
        {
            errors.Add($"{at}: unknown on_error {(int)server.OnError}");
        }

        if (server.ErrorLimit > int.MaxValue)
        {
            errors.Add($"{at}: error_limit {server.ErrorLimit} is out of range (0 = 10, or 1-{int.MaxValue})");
        }
    }
}
