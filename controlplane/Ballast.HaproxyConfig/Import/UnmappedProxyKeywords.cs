using System.Collections.Frozen;
using Ballast.HaproxyConfig.Syntax;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// Reports a proxy-section statement that the model does not carry (manual, section 4.2): logging keywords are
/// ignored (<c>capture cookie</c>; header captures are <see cref="CaptureMapper"/>'s), <c>description</c> is descriptive, everything else (TLS, <c>hash-balance-factor</c>, timeouts other than
/// <c>client</c>/<c>connect</c>/<c>server</c>/<c>queue</c>/<c>check</c>, <c>tcp-request</c>, ...) is unsupported,
/// and 1.x keywords that HAProxy 2.x refuses (<c>contimeout</c>, <c>reqadd</c>, ...) say what replaced them.
/// </summary>
internal static class UnmappedProxyKeywords
{
    private static readonly FrozenSet<string> LoggingKeywords = new[]
    {
        "log-format-sd", "log-tag", "error-log-format", "capture", "declare", "no-log",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> LoggingOptions = new[]
    {
        "httpslog", "dontlog-normal", "log-separate-errors",
        "log-health-checks", "logasap",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> Removed = new Dictionary<string, string>
    {
        ["contimeout"] = "timeout connect",
        ["clitimeout"] = "timeout client",
        ["srvtimeout"] = "timeout server",
        ["redispatch"] = "option redispatch",
        ["block"] = "http-request deny",
        ["appsession"] = "cookie or stick-table",
        ["reqadd"] = "http-request add-header",
        ["reqdel"] = "http-request del-header",
        ["reqidel"] = "http-request del-header",
        ["reqrep"] = "http-request replace-header",
        ["reqirep"] = "http-request replace-header",
        ["reqdeny"] = "http-request deny",
        ["reqideny"] = "http-request deny",
        ["reqallow"] = "http-request allow",
        ["reqiallow"] = "http-request allow",
        ["reqpass"] = "http-request allow",
        ["reqipass"] = "http-request allow",
        ["reqtarpit"] = "http-request tarpit",
        ["reqitarpit"] = "http-request tarpit",
        ["rspadd"] = "http-response add-header",
        ["rspdel"] = "http-response del-header",
        ["rspidel"] = "http-response del-header",
        ["rsprep"] = "http-response replace-header",
        ["rspirep"] = "http-response replace-header",
        ["rspdeny"] = "http-response deny",
        ["rspideny"] = "http-response deny",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Reports <paramref name="statement"/> with the reason that fits its keyword.</summary>
    public static void Report(SectionScope scope, ConfigStatement statement)
    {
        var offset = statement.Keyword is "no" or "default" ? 1 : 0;
        var keyword = statement[offset];
        var (severity, reason) = keyword switch
        {
            "option" when LoggingOptions.Contains(statement[offset + 1]) => (FindingSeverity.Ignored, Reasons.Logging),
            _ when LoggingKeywords.Contains(keyword) => (FindingSeverity.Ignored, Reasons.Logging),
            "description" => (FindingSeverity.Ignored, Reasons.Descriptive),
            _ when Removed.TryGetValue(keyword, out var replacement) =>
                (FindingSeverity.Unsupported, $"unsupported: removed from HAProxy 2.x (use '{replacement}'), not in the Ballast model yet"),
            _ => (FindingSeverity.Unsupported, Reasons.NotInModel),
        };
        scope.Report(statement, severity, reason);
    }
}
