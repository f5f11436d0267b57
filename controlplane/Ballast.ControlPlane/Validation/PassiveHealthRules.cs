using Ballast.ControlPlane.Model;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Validation;

/// <summary>
/// Rules of passive health (HAProxy server <c>observe</c>, <c>error-limit</c>, <c>on-error</c>), as HAProxy 2.6
/// parses them: <c>layer7</c> "can only be used in http proxies", <c>error-limit</c> must be positive (0 here means
/// HAProxy's default 10). HAProxy accepts <c>observe</c> on a server without <c>check</c> and then ignores it
/// (<c>health_adjust</c> needs a running check); so does Ballast, since such configurations are valid haproxy.cfg.
/// The node's <c>SnapshotValidator</c> applies the same rules.
/// </summary>
internal static class PassiveHealthRules
{
    /// <summary>Field rules of one server.</summary>
    public static void ValidateServer(Server server, string obj, List<ValidationError> errors)
    {
        if (!Enum.IsDefined(server.Observe))
        {
            errors.Add(new(obj, "observe", HaproxyWords.Expected<Observe>(((int)server.Observe).ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }

        if (!Enum.IsDefined(server.OnError))
        {
            errors.Add(new(obj, "onError", HaproxyWords.Expected<OnError>(((int)server.OnError).ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }

        if (server.ErrorLimit > int.MaxValue)
        {
            errors.Add(new(obj, "errorLimit", $"must be 0 (= 10, HAProxy's default) or 1-{int.MaxValue} (got {server.ErrorLimit})"));
        }
    }

    /// <summary>Rules that depend on the server's backend: <c>observe layer7</c> needs mode http.</summary>
    public static void ValidateInBackend(Backend backend, Server server, string obj, List<ValidationError> errors)
    {
        if (server.Observe == Observe.Layer7 && backend.Mode != Mode.Http)
        {
            errors.Add(new(obj, "observe", "layer7 needs mode http (the backend is mode tcp); use layer4"));
        }
    }
}
