using Ballast.ControlPlane.Validation;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Model;

/// <summary>
/// Maps a frontend's <c>captureRequestHeaders</c>/<c>captureResponseHeaders</c> (HAProxy <c>capture request|response
/// header</c>) between the admin API and ballast.v1 <see cref="HeaderCapture"/> messages. A null entry is an error
/// naming <c>captureRequestHeaders[i]</c> and is left out; value rules are <see cref="HeaderCaptureRules"/>'.
/// </summary>
internal static class HeaderCaptureMapping
{
    /// <summary>Adds the captures of <paramref name="spec"/> to <paramref name="frontend"/>.</summary>
    public static Frontend WithHeaderCaptures(this Frontend frontend, FrontendSpec spec, string obj, List<ValidationError>? errors)
    {
        Add(frontend.CaptureRequestHeaders, spec.CaptureRequestHeaders, "captureRequestHeaders", obj, errors);
        Add(frontend.CaptureResponseHeaders, spec.CaptureResponseHeaders, "captureResponseHeaders", obj, errors);
        return frontend;
    }

    /// <summary>The API form of capture messages.</summary>
    public static IReadOnlyList<HeaderCaptureSpec> ToSpecs(IEnumerable<HeaderCapture> captures) =>
        captures.Select(c => new HeaderCaptureSpec { Name = c.Name, Len = c.Len }).ToArray();

    /// <summary>The captures as the store keeps them (null entries dropped, null names empty).</summary>
    public static IReadOnlyList<HeaderCaptureSpec> Canonical(IReadOnlyList<HeaderCaptureSpec>? captures) =>
        (captures ?? []).Where(c => c is not null).Select(c => c with { Name = c.Name ?? string.Empty }).ToArray();

    private static void Add(
        ICollection<HeaderCapture> target, IReadOnlyList<HeaderCaptureSpec>? captures, string field, string obj, List<ValidationError>? errors)
    {
        captures ??= [];
        for (var i = 0; i < captures.Count; i++)
        {
            if (captures[i] is not { } capture)
            {
                errors?.Add(new(obj, $"{field}[{i}]", "must be an object {\"name\":..,\"len\":..}, not null"));
                continue;
            }

            target.Add(new HeaderCapture { Name = capture.Name ?? string.Empty, Len = capture.Len });
        }
    }
}
