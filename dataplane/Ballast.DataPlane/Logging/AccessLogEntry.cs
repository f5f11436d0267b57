using System.Net;

namespace Ballast.DataPlane.Logging;

/// <summary>
/// The values of one access-log line, captured on the request path without formatting (a struct in the writer's
/// queue: no allocation per request); the <see cref="AccessLogWriter"/> formats it in the background. Field names
/// follow HAProxy's log-format variables (configuration.txt 8.2.6).
/// </summary>
internal readonly record struct AccessLogEntry
{
    /// <summary>The frontend's log settings (format and targets).</summary>
    public required AccessLogSettings Settings { get; init; }

    /// <summary><c>%ci</c>: client address.</summary>
    public IPAddress? ClientAddress { get; init; }

    /// <summary><c>%cp</c>: client port.</summary>
    public int ClientPort { get; init; }

    /// <summary><c>%fi</c>: the frontend address the client connected to.</summary>
    public IPAddress? FrontendAddress { get; init; }

    /// <summary><c>%fp</c>: the frontend port.</summary>
    public int FrontendPort { get; init; }

    /// <summary><c>%t</c>: accept date.</summary>
    public DateTimeOffset AcceptTime { get; init; }

    /// <summary><c>%tr</c>: request date (mode http; the accept date in mode tcp).</summary>
    public DateTimeOffset RequestTime { get; init; }

    /// <summary><c>%f</c>/<c>%ft</c>: frontend name.</summary>
    public required string Frontend { get; init; }

    /// <summary><c>%b</c>: backend name, or the frontend's when none was reached (HAProxy logs the frontend).</summary>
    public required string Backend { get; init; }

    /// <summary><c>%s</c>: server name, <c>&lt;NOSRV&gt;</c> when none.</summary>
    public required string Server { get; init; }

    /// <summary><c>%si</c>: server address, empty when none.</summary>
    public string? ServerAddress { get; init; }

    /// <summary><c>%sp</c>: server port.</summary>
    public int ServerPort { get; init; }

    /// <summary><c>%TR</c>: ms from the request's first byte to the end of its headers (0 in mode tcp and HTTP/2).</summary>
    public long RequestHeaderTime { get; init; }

    /// <summary><c>%Ti</c>: ms idle before the request's first byte (0 in mode tcp and HTTP/2).</summary>
    public long IdleTime { get; init; }

    /// <summary>Tw, Tc, Tr and Ta/Tt.</summary>
    public Stats.RequestTimes Times { get; init; }

    /// <summary><c>%ST</c>: status code (http).</summary>
    public int Status { get; init; }

    /// <summary><c>%B</c>: bytes sent to the client.</summary>
    public long BytesSent { get; init; }

    /// <summary><c>%U</c>: bytes received from the client.</summary>
    public long BytesReceived { get; init; }

    /// <summary><c>%ts</c>/<c>%tsc</c>: termination state, two characters (cookie part appended by the format).</summary>
    public required string Termination { get; init; }

    /// <summary><c>%ac</c>: active connections of the node.</summary>
    public long ActiveConnections { get; init; }

    /// <summary><c>%fc</c>: the frontend's connections.</summary>
    public long FrontendConnections { get; init; }

    /// <summary><c>%bc</c>: the backend's sessions.</summary>
    public long BackendConnections { get; init; }

    /// <summary><c>%sc</c>: the server's sessions.</summary>
    public long ServerConnections { get; init; }

    /// <summary><c>%rc</c>: retries.</summary>
    public int Retries { get; init; }

    /// <summary><c>%sq</c>: requests queued on the server before this one.</summary>
    public long ServerQueue { get; init; }

    /// <summary><c>%bq</c>: requests queued on the backend before this one.</summary>
    public long BackendQueue { get; init; }

    /// <summary><c>%HM</c>: method (http).</summary>
    public string? Method { get; init; }

    /// <summary><c>%HU</c>: request-target as received (http).</summary>
    public string? Target { get; init; }

    /// <summary><c>%HV</c>: protocol, e.g. <c>HTTP/1.1</c> (http).</summary>
    public string? Protocol { get; init; }

    /// <summary><c>%hr</c>/<c>%hrl</c>: captured request header values; null without <c>capture request header</c>.</summary>
    public string?[]? RequestCaptures { get; init; }

    /// <summary><c>%hs</c>/<c>%hsl</c>: captured response header values; null without <c>capture response header</c>.</summary>
    public string?[]? ResponseCaptures { get; init; }
}
