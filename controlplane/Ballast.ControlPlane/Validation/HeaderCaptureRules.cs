using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Validation;

/// <summary>
/// Field rules of a frontend's header captures (HAProxy <c>capture request|response header &lt;name&gt; len
/// &lt;n&gt;</c>), at least as strict as the nodes' snapshot validation (dataplane Logging/HeaderCaptures): the name is
/// an HTTP token (RFC 9110 <c>tchar</c>) of 1-64 characters, <c>len</c> is 1-1024 (HAProxy takes any length; nodes bound
/// the memory per request), and captures need mode http (HAProxy accepts them in mode tcp but never fills them). HAProxy
/// sets no limit on the number of captures, neither does Ballast.
/// </summary>
internal static class HeaderCaptureRules
{
    /// <summary>Longest header name.</summary>
    public const int MaxNameLength = 64;

    /// <summary>Largest <c>len</c>.</summary>
    public const uint MaxLen = 1024;

    /// <summary>Adds the errors of <paramref name="frontend"/>'s captures to <paramref name="errors"/>.</summary>
    public static void ValidateFrontend(Frontend frontend, string obj, List<ValidationError> errors)
    {
        Validate(frontend.CaptureRequestHeaders, "captureRequestHeaders", obj, errors);
        Validate(frontend.CaptureResponseHeaders, "captureResponseHeaders", obj, errors);
        if (frontend.Mode == Mode.Tcp)
        {
            if (frontend.CaptureRequestHeaders.Count > 0)
            {
                errors.Add(new(obj, "captureRequestHeaders", "header captures need mode http"));
            }

            if (frontend.CaptureResponseHeaders.Count > 0)
            {
                errors.Add(new(obj, "captureResponseHeaders", "header captures need mode http"));
            }
        }
    }

    /// <summary>The error of a header name, or null when it is valid.</summary>
    public static string? NameError(string name) =>
        name.Length is 0 or > MaxNameLength || !name.All(IsTokenChar)
            ? $"must be an HTTP header name (a token of letters, digits and !#$%&'*+-.^_`|~), 1-{MaxNameLength} characters (got '{name}')"
            : null;

    /// <summary>The error of a <c>len</c>, or null when it is valid.</summary>
    public static string? LenError(long len) => len is < 1 or > MaxLen ? $"must be 1-{MaxLen} characters (got {len})" : null;

    private static void Validate(IList<HeaderCapture> captures, string field, string obj, List<ValidationError> errors)
    {
        for (var i = 0; i < captures.Count; i++)
        {
            if (NameError(captures[i].Name) is { } nameError)
            {
                errors.Add(new(obj, $"{field}[{i}].name", nameError));
            }

            if (LenError(captures[i].Len) is { } lenError)
            {
                errors.Add(new(obj, $"{field}[{i}].len", lenError));
            }
        }
    }

    private static bool IsTokenChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
}
