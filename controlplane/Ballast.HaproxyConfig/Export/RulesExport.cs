using System.Text;
using Ballast.HaproxyConfig.Rules;
using Ballast.HaproxyConfig.Units;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Export;

/// <summary>
/// Writes the layer-7 settings and timeouts of a frontend or backend with the shared <see cref="HaproxyRules"/>
/// formatter: <c>timeout client|connect|server</c> (when set), <c>stick-table</c>, <c>cookie</c>, <c>stick on</c>,
/// <c>acl</c>, <c>http-request</c>, <c>http-response</c> and <c>use_backend</c>, in the order HAProxy evaluates
/// them (so that <c>haproxy -c</c> gives no ordering warning).
/// </summary>
internal static class RulesExport
{
    /// <summary>Writes the frontend's timeout and rules (before <c>default_backend</c>).</summary>
    /// <param name="text">The output.</param>
    /// <param name="frontend">The frontend.</param>
    /// <param name="indent">Line indent.</param>
    public static void Write(StringBuilder text, Frontend frontend, string indent)
    {
        if (frontend.TimeoutClientMs > 0)
        {
            Line(text, indent, "timeout client", TimeParser.Format(frontend.TimeoutClientMs));
        }

        WriteCommon(text, indent, frontend.StickTable, frontend.Acls, frontend.HttpRequest, frontend.HttpResponse);
        foreach (var rule in frontend.UseBackends)
        {
            var condition = HaproxyRules.Format(rule.Condition);
            Line(text, indent, "use_backend", condition.Length > 0 ? $"{HaproxyQuoting.Quote(rule.Backend)} {condition}" : HaproxyQuoting.Quote(rule.Backend));
        }
    }

    /// <summary>Writes the backend's timeouts, persistence and rules.</summary>
    /// <param name="text">The output.</param>
    /// <param name="backend">The backend.</param>
    /// <param name="indent">Line indent.</param>
    public static void Write(StringBuilder text, Backend backend, string indent)
    {
        if (backend.TimeoutConnectMs > 0)
        {
            Line(text, indent, "timeout connect", TimeParser.Format(backend.TimeoutConnectMs));
        }

        if (backend.TimeoutServerMs > 0)
        {
            Line(text, indent, "timeout server", TimeParser.Format(backend.TimeoutServerMs));
        }

        if (backend.Cookie is { } cookie)
        {
            Line(text, indent, "cookie", HaproxyRules.Format(cookie));
        }

        WriteCommon(text, indent, backend.StickTable, backend.Acls, backend.HttpRequest, backend.HttpResponse);
        if (backend.StickOn.Length > 0)
        {
            Line(text, indent, "stick on", backend.StickOn);
        }
    }

    /// <summary>Adds the server's <c>cookie</c> to a <c>server</c> line.</summary>
    /// <param name="words">The words.</param>
    /// <param name="server">The server.</param>
    public static void AddServerCookie(List<string> words, Server server)
    {
        if (server.Cookie.Length > 0)
        {
            words.AddRange(["cookie", HaproxyQuoting.Quote(server.Cookie)]);
        }
    }

    private static void WriteCommon(StringBuilder text, string indent, StickTable? table, IEnumerable<Acl> acls, IEnumerable<HttpRule> request, IEnumerable<HttpRule> response)
    {
        if (table is not null)
        {
            Line(text, indent, "stick-table", HaproxyRules.Format(table));
        }

        foreach (var acl in acls)
        {
            Line(text, indent, "acl", HaproxyRules.Format(acl));
        }

        foreach (var rule in request)
        {
            Line(text, indent, "http-request", HaproxyRules.Format(rule));
        }

        foreach (var rule in response)
        {
            Line(text, indent, "http-response", HaproxyRules.Format(rule));
        }
    }

    private static void Line(StringBuilder text, string indent, string keyword, string arguments) =>
        text.Append(indent).Append(keyword).Append(' ').AppendLine(arguments);
}
