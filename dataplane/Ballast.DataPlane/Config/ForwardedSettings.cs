using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Config;

/// <summary>
/// HAProxy 2.8 <c>option forwarded [proto] [host] [by] [for]</c>: which RFC 7239 parameters the <c>Forwarded</c>
/// header carries; <c>for</c> alone when none is given (HAProxy's default).
/// </summary>
/// <param name="Proto"><c>proto=http|https</c>.</param>
/// <param name="Host"><c>host="&lt;Host header&gt;"</c>.</param>
/// <param name="By"><c>by="&lt;address:port the client connected to&gt;"</c>.</param>
/// <param name="For"><c>for="&lt;client address:port&gt;"</c>.</param>
internal sealed record ForwardedSettings(bool Proto, bool Host, bool By, bool For)
{
    /// <summary>Reads the option; null when unset.</summary>
    /// <param name="option">The backend's <c>forwarded</c> message.</param>
    public static ForwardedSettings? From(V1.ForwardedOption? option)
    {
        if (option is null)
        {
            return null;
        }

        var none = !option.Proto && !option.Host && !option.By && !option.For;
        return new ForwardedSettings(option.Proto, option.Host, option.By, option.For || none);
    }
}
