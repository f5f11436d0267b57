using System.Collections.Immutable;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Logging;

/// <summary>
/// A frontend's access-log settings, built with the runtime model: the compiled line format (<c>log-format</c>, else
/// <c>option httplog</c> / <c>option tcplog</c>, else httplog in mode http and tcplog in mode tcp) and the targets.
/// Null on a frontend without <c>log</c> lines: nothing is captured then.
/// </summary>
internal sealed class AccessLogSettings
{
    /// <summary>HAProxy's <c>option httplog</c> format (configuration.txt 8.2.3).</summary>
    public const string HttpLogFormat =
        "%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs %{+Q}r";

    /// <summary>HAProxy's <c>option tcplog</c> format (configuration.txt 8.2.2).</summary>
    public const string TcpLogFormat = "%ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq";

    private AccessLogSettings(LogFormatTemplate template, ImmutableArray<LogTargetSettings> targets, bool dontLogNull)
    {
        Template = template;
        Targets = targets;
        DontLogNull = dontLogNull;
    }

    /// <summary><c>capture request header</c> lines, or null without any.</summary>
    public HeaderCaptures? RequestCaptures { get; private init; }

    /// <summary><c>capture response header</c> lines, or null without any.</summary>
    public HeaderCaptures? ResponseCaptures { get; private init; }

    /// <summary>The line format.</summary>
    public LogFormatTemplate Template { get; }

    /// <summary>Where lines go.</summary>
    public ImmutableArray<LogTargetSettings> Targets { get; }

    /// <summary><c>option dontlognull</c>: connections that carried no data are not logged.</summary>
    public bool DontLogNull { get; }

    /// <summary>Validates the logging fields of <paramref name="frontend"/> (for the snapshot validator).</summary>
    /// <param name="frontend">The frontend.</param>
    /// <returns>Errors, each prefixed with the frontend.</returns>
    public static IEnumerable<string> Validate(V1.Frontend frontend)
    {
        foreach (var target in frontend.Logs)
        {
            if (LogTargetSettings.TryParse(target, out var error) is null)
            {
                yield return $"frontend '{frontend.Name}': {error}";
            }
        }

        if (frontend.LogFormat.Length > 0 && !LogFormatTemplate.TryParse(frontend.LogFormat, out _, out var formatError))
        {
            yield return $"frontend '{frontend.Name}': log-format: {formatError}";
        }

        foreach (var error in HeaderCaptures.Validate(frontend.CaptureRequestHeaders, "capture request header")
            .Concat(HeaderCaptures.Validate(frontend.CaptureResponseHeaders, "capture response header")))
        {
            yield return $"frontend '{frontend.Name}': {error}";
        }

        if (frontend.Mode == V1.Mode.Tcp && (frontend.CaptureRequestHeaders.Count > 0 || frontend.CaptureResponseHeaders.Count > 0))
        {
            yield return $"frontend '{frontend.Name}': capture request|response header requires mode http";
        }
    }

    /// <summary>Builds the settings of a valid frontend; null without log targets.</summary>
    /// <param name="frontend">The frontend.</param>
    public static AccessLogSettings? Create(V1.Frontend frontend)
    {
        if (frontend.Logs.Count == 0)
        {
            return null;
        }

        var targets = ImmutableArray.CreateBuilder<LogTargetSettings>(frontend.Logs.Count);
        foreach (var target in frontend.Logs)
        {
            if (LogTargetSettings.TryParse(target, out _) is { } parsed)
            {
                targets.Add(parsed);
            }
        }

        var format = frontend.LogFormat.Length > 0 ? frontend.LogFormat
            : frontend.OptionHttplog ? HttpLogFormat
            : frontend.OptionTcplog ? TcpLogFormat
            : frontend.Mode == V1.Mode.Tcp ? TcpLogFormat : HttpLogFormat;
        if (!LogFormatTemplate.TryParse(format, out var template, out _))
        {
            LogFormatTemplate.TryParse(HttpLogFormat, out template, out _);
        }

        return new AccessLogSettings(template!, targets.ToImmutable(), frontend.OptionDontlognull)
        {
            RequestCaptures = HeaderCaptures.Create(frontend.CaptureRequestHeaders),
            ResponseCaptures = HeaderCaptures.Create(frontend.CaptureResponseHeaders),
        };
    }
}
