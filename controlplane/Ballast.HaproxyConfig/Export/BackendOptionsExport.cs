using System.Globalization;
using System.Text;
using Ballast.HaproxyConfig.Units;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Export;

/// <summary>
/// Writes the server, check, queue, retry and header options as HAProxy 2.6 keywords: <c>option allbackups</c>,
/// <c>timeout queue</c>, <c>retries</c>, <c>retry-on</c>, <c>[no] option redispatch [&lt;interval&gt;]</c> (only when set;
/// Ballast's unset default, redispatch on every retry, is not written), <c>option forwardfor [except] [header]</c>,
/// <c>http-check expect status|rstatus|string</c>, <c>fastinter</c>/<c>downinter</c> on <c>default-server</c>, and the
/// server's <c>backup</c>, <c>slowstart</c>, <c>port</c> and <c>addr</c>.
/// </summary>
internal static class BackendOptionsExport
{
    /// <summary>Writes the backend-level options.</summary>
    /// <param name="text">The output.</param>
    /// <param name="backend">The backend.</param>
    /// <param name="indent">Line indent.</param>
    public static void Write(StringBuilder text, Backend backend, string indent)
    {
        if (backend.Allbackups)
        {
            Line("option allbackups");
        }

        if (backend.TimeoutQueueMs > 0)
        {
            Line($"timeout queue {TimeParser.Format(backend.TimeoutQueueMs)}");
        }

        if (backend.HasRetries)
        {
            Line($"retries {Number(backend.Retries)}");
        }

        if (backend.RetryOn.Count > 0)
        {
            Line($"retry-on {string.Join(' ', backend.RetryOn)}");
        }

        if (backend.HasRedispatch)
        {
            Line(backend.Redispatch == 0
                ? "no option redispatch"
                : $"option redispatch {backend.Redispatch.ToString(CultureInfo.InvariantCulture)}");
        }

        if (backend.Forwardfor)
        {
            var words = new StringBuilder("option forwardfor");
            if (backend.ForwardforExcept.Length > 0)
            {
                words.Append(" except ").Append(backend.ForwardforExcept);
            }

            if (backend.ForwardforHeader.Length > 0)
            {
                words.Append(" header ").Append(HaproxyQuoting.Quote(backend.ForwardforHeader));
            }

            Line(words.ToString());
        }

        void Line(string line) => text.Append(indent).AppendLine(line);
    }

    /// <summary>The arguments of <c>http-check expect</c> for a non-default expect kind.</summary>
    /// <param name="health">The check.</param>
    public static string Expect(HealthCheck health) => health.ExpectKind switch
    {
        HttpCheckExpect.Status => $"status {health.ExpectValue}",
        HttpCheckExpect.Rstatus => $"rstatus {HaproxyQuoting.Quote(health.ExpectValue)}",
        _ => $"string {HaproxyQuoting.Quote(health.ExpectValue)}",
    };

    /// <summary>Adds <c>fastinter</c> and <c>downinter</c> to the <c>default-server</c> words.</summary>
    /// <param name="words">The words.</param>
    /// <param name="health">The check.</param>
    public static void AddCheckIntervals(List<string> words, HealthCheck health)
    {
        if (health.FastinterMs > 0)
        {
            words.AddRange(["fastinter", TimeParser.Format(health.FastinterMs)]);
        }

        if (health.DowninterMs > 0)
        {
            words.AddRange(["downinter", TimeParser.Format(health.DowninterMs)]);
        }
    }

    /// <summary>Adds <c>backup</c>, <c>slowstart</c>, <c>port</c> and <c>addr</c> to a <c>server</c> line.</summary>
    /// <param name="words">The words.</param>
    /// <param name="server">The server.</param>
    public static void AddServerOptions(List<string> words, Server server)
    {
        if (server.Backup)
        {
            words.Add("backup");
        }

        if (server.SlowstartMs > 0)
        {
            words.AddRange(["slowstart", TimeParser.Format(server.SlowstartMs)]);
        }

        if (server.Maxqueue > 0)
        {
            words.AddRange(["maxqueue", server.Maxqueue.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        if (server.CheckPort > 0)
        {
            words.AddRange(["port", Number(server.CheckPort)]);
        }

        if (server.CheckAddr.Length > 0)
        {
            words.AddRange(["addr", server.CheckAddr]);
        }

        AddPassiveHealth(words, server);
    }

    /// <summary>
    /// Adds <c>observe</c>, <c>error-limit</c> (0 = HAProxy's default 10, omitted) and <c>on-error</c> (omitted when
    /// HAProxy's default <c>fail-check</c>, or the proto's zero value on a server without <c>observe</c>).
    /// </summary>
    /// <param name="words">The words.</param>
    /// <param name="server">The server.</param>
    public static void AddPassiveHealth(List<string> words, Server server)
    {
        if (server.Observe != Observe.None)
        {
            words.AddRange(["observe", server.Observe == Observe.Layer7 ? "layer7" : "layer4"]);
        }

        if (server.ErrorLimit > 0)
        {
            words.AddRange(["error-limit", Number(server.ErrorLimit)]);
        }

        // fail-check is HAProxy's default (and the proto's zero value).
        if (server.OnError != OnError.FailCheck)
        {
            words.AddRange(["on-error", server.OnError switch
            {
                OnError.Fastinter => "fastinter",
                OnError.SuddenDeath => "sudden-death",
                _ => "mark-down",
            }]);
        }
    }

    private static string Number(uint value) => value.ToString(CultureInfo.InvariantCulture);
}
