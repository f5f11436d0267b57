using Ballast.HaproxyConfig.Logging;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Validation;

/// <summary>
/// Field rules of a frontend's access-log settings, as the nodes check them (snapshot validation: target address
/// forms, facility and level names, format, <c>len</c>, <c>log-format</c> variables) plus HAProxy's: <c>len</c> at most
/// 65535, <c>option httplog</c> only in mode http (HAProxy would fall back to tcplog), not both options.
/// </summary>
internal static class AccessLogRules
{
    /// <summary>Adds the errors of <paramref name="frontend"/>'s access-log settings to <paramref name="errors"/>.</summary>
    public static void ValidateFrontend(Frontend frontend, string obj, List<ValidationError> errors)
    {
        for (var i = 0; i < frontend.Logs.Count; i++)
        {
            if (HaproxyLog.Check(frontend.Logs[i]) is { } error)
            {
                errors.Add(new(obj, $"logs[{i}]", error));
            }
        }

        if (frontend.OptionHttplog && frontend.Mode == Mode.Tcp)
        {
            errors.Add(new(obj, "optionHttplog", "needs mode http (for mode tcp use optionTcplog)"));
        }

        if (frontend.OptionHttplog && frontend.OptionTcplog)
        {
            errors.Add(new(obj, "optionTcplog", "give optionHttplog or optionTcplog, not both"));
        }

        if (frontend.LogFormat.Contains('\n', StringComparison.Ordinal) || frontend.LogFormat.Contains('\r', StringComparison.Ordinal))
        {
            errors.Add(new(obj, "logFormat", "must be one line"));
        }
        else if (frontend.LogFormat.Length > 0 && LogFormatCheck.Error(frontend.LogFormat) is { } formatError)
        {
            errors.Add(new(obj, "logFormat", formatError));
        }

        HeaderCaptureRules.ValidateFrontend(frontend, obj, errors);
    }
}
