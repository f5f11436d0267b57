using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Model;

/// <summary>
/// Maps <c>on-error</c> between the API and the model. HAProxy's default is <c>fail-check</c> (<c>DEF_HANA_ONERR</c>),
/// the API's default too, while the proto's zero value is <c>fastinter</c>. <c>on-error</c> acts only with
/// <c>observe</c>; on a server without it, the API default <c>fail-check</c> is stored as the proto's zero value (so
/// unobserved servers compare equal to plain <c>Server</c> messages) and read back as <c>fail-check</c>.
/// </summary>
internal static class PassiveHealthMapping
{
    /// <summary>The proto <c>on_error</c> of a server spec.</summary>
    public static OnError ToProto(Observe observe, OnError onError) =>
        observe == Observe.None && onError == OnError.FailCheck ? OnError.Fastinter : onError;

    /// <summary>The API <c>onError</c> of a server message.</summary>
    public static OnError FromProto(Observe observe, OnError onError) =>
        observe == Observe.None && onError == OnError.Fastinter ? OnError.FailCheck : onError;
}
