namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// Name rules: HAProxy's for proxy and server names ("upper and lower case letters, digits, '-' (dash),
/// '_' (underscore), '.' (dot) and ':' (colon)", manual section 4), and the model's 64-character limit.
/// </summary>
internal static class ProxyNames
{
    /// <summary>The longest name the model accepts.</summary>
    public const int MaxLength = 64;

    /// <summary>The first character HAProxy refuses in <paramref name="name"/>, or null if all are permitted.</summary>
    public static char? InvalidCharacter(string name)
    {
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
            {
                return c;
            }
        }

        return null;
    }
}
