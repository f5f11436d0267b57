using System.Globalization;
using Ballast.HaproxyConfig.Syntax;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// Maps <c>capture request header &lt;name&gt; len &lt;length&gt;</c> and <c>capture response header ...</c> (manual
/// 4.2) into <see cref="LogSettings"/>, as HAProxy 2.6 parses them: refused in <c>defaults</c>, ignored with a warning
/// in a backend (no frontend capability), exactly five arguments. Ballast keeps <c>len</c> 1-1024 and token header
/// names (other values are reported unsupported), and only in mode http (HAProxy accepts captures in mode tcp but never
/// fills them: they are reported ignored). <c>capture cookie</c> is not handled here.
/// </summary>
internal static class CaptureMapper
{
    /// <summary>Largest <c>len</c> nodes take.</summary>
    public const uint MaxLen = 1024;

    /// <summary>Whether <paramref name="statement"/> is a header capture this mapper handles.</summary>
    public static bool Handles(ConfigStatement statement) => statement.Keyword == "capture" && statement[1] is "request" or "response";

    /// <summary>Maps one <c>capture request|response header</c> statement.</summary>
    public static void Map(ProxyDraft draft, ConfigStatement statement)
    {
        var scope = draft.Scope;
        var side = statement[1];
        if (draft.Kind == ProxyKind.Defaults)
        {
            scope.Error(statement, 0, $"'capture {side}' not allowed in 'defaults' section");
            return;
        }

        if (draft.Kind == ProxyKind.Backend)
        {
            scope.Report(statement, FindingSeverity.Ignored, Reasons.NoCapability("capture", "backend", "frontend"));
            return;
        }

        if (statement[2] != "header" || statement[3].Length == 0 || statement[4] != "len" || statement[5].Length == 0)
        {
            scope.Error(statement, Math.Min(statement.Count, 2), $"'capture {side}' expects 'header' <header_name> 'len' <len>");
            return;
        }

        if (!Arguments.NoMoreThan(scope, statement, 5, $"capture {side}"))
        {
            return;
        }

        var name = statement[3];
        if (!uint.TryParse(statement[5], NumberStyles.None, CultureInfo.InvariantCulture, out var len))
        {
            scope.Error(statement, 5, $"'capture {side} header' expects an integer length (got '{statement[5]}')");
            return;
        }

        if (len is < 1 or > MaxLen)
        {
            scope.Report(statement, 5, KeywordNames.Of(statement), FindingSeverity.Unsupported,
                $"unsupported: Ballast nodes capture 1-{MaxLen} characters per header (got len {len})");
            return;
        }

        if (name.Length > 64 || !name.All(IsTokenChar))
        {
            scope.Report(statement, 3, KeywordNames.Of(statement), FindingSeverity.Unsupported,
                $"unsupported: '{name}' is not an HTTP header name (a token of at most 64 characters)");
            return;
        }

        var capture = new Sourced<HeaderCapture>(new HeaderCapture { Name = name, Len = len }, statement.Line, statement.ColumnOf(0));
        var log = draft.Settings.Log;
        log = side == "request"
            ? log with { RequestCaptures = [.. log.RequestCaptures, capture] }
            : log with { ResponseCaptures = [.. log.ResponseCaptures, capture] };
        draft.Settings = draft.Settings with { Log = log };
        var field = side == "request" ? "captureRequestHeaders" : "captureResponseHeaders";
        var who = draft.Kind == ProxyKind.Frontend ? "frontend" : "listen";
        scope.Mapped(statement, $"{who} {draft.Name}: {field} += {name} len {len}");
    }

    /// <summary>
    /// Writes the captures of <paramref name="draft"/> to <paramref name="frontend"/> once its mode is known; in mode tcp
    /// they are reported ignored (HAProxy never fills them there) and left out.
    /// </summary>
    public static void Apply(ProxyDraft draft, Frontend frontend)
    {
        var log = draft.Settings.Log;
        if (frontend.Mode == Mode.Tcp)
        {
            foreach (var (capture, side) in log.RequestCaptures.Select(c => (c, "request")).Concat(log.ResponseCaptures.Select(c => (c, "response"))))
            {
                draft.Scope.Builder.Add(new ImportFinding(capture.Line, capture.Column, draft.Scope.Name, $"capture {side}", FindingSeverity.Ignored,
                    "ignored: header captures need 'mode http' (HAProxy never fills them in mode tcp)"));
            }

            return;
        }

        frontend.CaptureRequestHeaders.AddRange(log.RequestCaptures.Select(c => c.Value.Clone()));
        frontend.CaptureResponseHeaders.AddRange(log.ResponseCaptures.Select(c => c.Value.Clone()));
    }

    private static bool IsTokenChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
}
