using Ballast.ControlPlane.Validation;
using Ballast.HaproxyConfig.Logging;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Model;

/// <summary>
/// Maps a frontend's access-log settings between the admin API (<c>logs</c> as HAProxy <c>log</c> text,
/// <c>optionHttplog</c>, <c>optionTcplog</c>, <c>optionDontlognull</c>, <c>logFormat</c>) and ballast.v1 messages with
/// the shared <see cref="HaproxyLog"/> reader. A line that does not read is an error naming <c>logs[i]</c> and is
/// left out of the message.
/// </summary>
internal static class AccessLogMapping
{
    /// <summary>Adds the access-log settings of <paramref name="spec"/> to <paramref name="frontend"/>.</summary>
    public static Frontend WithAccessLog(this Frontend frontend, FrontendSpec spec, string obj, List<ValidationError>? errors)
    {
        var logs = spec.Logs ?? [];
        for (var i = 0; i < logs.Count; i++)
        {
            if (logs[i] is null)
            {
                errors?.Add(new(obj, $"logs[{i}]", "must be a string, not null"));
            }
            else if (HaproxyLog.TryParse(logs[i], out var target, out var error))
            {
                frontend.Logs.Add(target);
            }
            else
            {
                errors?.Add(new(obj, $"logs[{i}]", error));
            }
        }

        frontend.OptionHttplog = spec.OptionHttplog;
        frontend.OptionTcplog = spec.OptionTcplog;
        frontend.OptionDontlognull = spec.OptionDontlognull;
        frontend.LogFormat = spec.LogFormat ?? string.Empty;
        return frontend.WithHeaderCaptures(spec, obj, errors);
    }

    /// <summary>Adds the access-log settings of <paramref name="frontend"/> to <paramref name="spec"/>, targets as HAProxy text.</summary>
    public static FrontendSpec WithAccessLog(this FrontendSpec spec, Frontend frontend) => spec with
    {
        Logs = frontend.Logs.Select(HaproxyLog.Format).ToArray(),
        OptionHttplog = frontend.OptionHttplog,
        OptionTcplog = frontend.OptionTcplog,
        OptionDontlognull = frontend.OptionDontlognull,
        LogFormat = frontend.LogFormat,
        CaptureRequestHeaders = HeaderCaptureMapping.ToSpecs(frontend.CaptureRequestHeaders),
        CaptureResponseHeaders = HeaderCaptureMapping.ToSpecs(frontend.CaptureResponseHeaders),
    };

    /// <summary>
    /// The log lines of <paramref name="spec"/> as the store keeps them: each read and written back (one spelling on
    /// GET); a line that does not read is kept as given.
    /// </summary>
    public static IReadOnlyList<string> CanonicalLogs(FrontendSpec spec) =>
        (spec.Logs ?? []).Select(line => line is not null && HaproxyLog.TryParse(line, out var target, out _) ? HaproxyLog.Format(target) : line ?? string.Empty).ToArray();
}
