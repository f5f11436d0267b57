using System.Net;
using Ballast.DataPlane.Config;
using Ballast.DataPlane.Stats;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace Ballast.DataPlane.Logging;

/// <summary>
/// End-of-request bookkeeping shared by the stats and the access log: the request's timers go into the backend's and
/// server's <c>qtime</c>/<c>ctime</c>/<c>rtime</c>/<c>ttime</c> averages, and, on a frontend with <c>log</c> targets,
/// its line is captured and queued.
/// </summary>
internal sealed partial class AccessLogWriter
{
    /// <summary>HAProxy's server name when none was reached.</summary>
    public const string NoServer = "<NOSRV>";

    /// <summary>Returns the model being served, for <c>%ac</c> (set by the container).</summary>
    internal Func<RuntimeModel>? Model { get; init; }

    /// <summary>Completes a mode http request (called once the response is finished).</summary>
    /// <param name="context">The request.</param>
    /// <param name="frontend">Its frontend.</param>
    /// <param name="backend">The backend it went to, if any.</param>
    /// <param name="server">The server that answered (or failed last), if any.</param>
    /// <param name="received">Bytes received from the client for this request.</param>
    /// <param name="sent">Bytes sent to the client for this request.</param>
    public void CompleteHttp(HttpContext context, FrontendRuntime frontend, BackendRuntime? backend, ServerRuntime? server, long received, long sent)
    {
        var log = context.Features.Get<StreamLog>();
        if (log is null)
        {
            return;
        }

        var times = RequestTimes.From(log, tcp: false);
        var termination = log.Termination ?? HttpTermination(context, log, server);
        if (backend is not null)
        {
            times.AddTo(backend, server);
            CountAbort(termination, backend, server);
        }

        if (frontend.AccessLog is not { } settings)
        {
            return;
        }

        var connection = context.Connection;
        var request = context.Request;
        var receiveMeasured = !HttpProtocol.IsHttp2(request.Protocol) && !HttpProtocol.IsHttp3(request.Protocol); // multiplexed: requests overlap
        TryEnqueue(
            new AccessLogEntry
            {
                Settings = settings,
                ClientAddress = connection.RemoteIpAddress,
                ClientPort = connection.RemotePort,
                FrontendAddress = connection.LocalIpAddress,
                FrontendPort = connection.LocalPort,
                AcceptTime = log.AcceptTime,
                RequestTime = log.RequestTime,
                Frontend = frontend.Name,
                Backend = backend?.Name ?? frontend.Name,
                Server = server?.Name ?? NoServer,
                ServerAddress = server?.Address,
                ServerPort = server?.Port ?? 0,
                RequestHeaderTime = receiveMeasured ? (long)log.ReceiveTime.TotalMilliseconds : 0,
                IdleTime = receiveMeasured ? (long)log.IdleTime.TotalMilliseconds : 0,
                Times = times,
                Status = context.Response.StatusCode,
                BytesSent = sent,
                BytesReceived = received,
                Termination = termination,
                ActiveConnections = ActiveConnections(frontend),
                FrontendConnections = frontend.Counters.Scur,
                BackendConnections = backend?.State.Counters.Scur ?? 0,
                ServerConnections = server?.State.Counters.Scur ?? 0,
                Retries = Math.Max(0, log.Attempts - 1),
                Method = request.Method,
                Target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value,
                Protocol = request.Protocol,
                RequestCaptures = log.RequestCaptures,
                ResponseCaptures = log.ResponseCaptures,
            },
            frontend.Counters);
    }

    /// <summary>Completes a mode tcp connection (called when the relay ended, or when no server could be reached).</summary>
    /// <param name="connection">The client connection.</param>
    /// <param name="log">Its timestamps.</param>
    /// <param name="frontend">Its frontend.</param>
    /// <param name="backend">The backend, if any.</param>
    /// <param name="server">The server connected to (or tried last), if any.</param>
    /// <param name="received">Bytes received from the client.</param>
    /// <param name="sent">Bytes sent to the client.</param>
    /// <param name="termination">HAProxy's two termination characters.</param>
    public void CompleteTcp(ConnectionContext connection, StreamLog log, FrontendRuntime frontend, BackendRuntime? backend, ServerRuntime? server, long received, long sent, string termination)
    {
        var times = RequestTimes.From(log, tcp: true);
        if (backend is not null)
        {
            times.AddTo(backend, server);
            CountAbort(termination, backend, server);
        }

        if (frontend.AccessLog is not { } settings || (settings.DontLogNull && received == 0 && sent == 0))
        {
            return;
        }

        var client = connection.RemoteEndPoint as IPEndPoint;
        var local = connection.LocalEndPoint as IPEndPoint;
        TryEnqueue(
            new AccessLogEntry
            {
                Settings = settings,
                ClientAddress = client?.Address,
                ClientPort = client?.Port ?? 0,
                FrontendAddress = local?.Address,
                FrontendPort = local?.Port ?? 0,
                AcceptTime = log.AcceptTime,
                RequestTime = log.AcceptTime,
                Frontend = frontend.Name,
                Backend = backend?.Name ?? frontend.Name,
                Server = server?.Name ?? NoServer,
                ServerAddress = server?.Address,
                ServerPort = server?.Port ?? 0,
                Times = times,
                BytesSent = sent,
                BytesReceived = received,
                Termination = termination,
                ActiveConnections = ActiveConnections(frontend),
                FrontendConnections = frontend.Counters.Scur,
                BackendConnections = backend?.State.Counters.Scur ?? 0,
                ServerConnections = server?.State.Counters.Scur ?? 0,
                Retries = Math.Max(0, log.Attempts - 1),
            },
            frontend.Counters);
    }

    /// <summary>
    /// HAProxy's first two termination-state characters of an HTTP request (configuration.txt 8.5): who ended it
    /// (<c>C</c> client, <c>S</c> server, <c>s</c> server timeout, <c>-</c> normal) and in which phase (<c>R</c>
    /// request, <c>C</c> connect, <c>H</c> response headers, <c>D</c> data, <c>-</c> normal). <c>SC</c> covers
    /// a refused connect after retries and no usable server, as HAProxy logs both; a request answered by a rule
    /// without a server is <c>PR</c> (403) or <c>LR</c> (redirect, return).
    /// </summary>
    /// <param name="context">The request.</param>
    /// <param name="log">Its timestamps.</param>
    /// <param name="server">The server, if any.</param>
    internal static string HttpTermination(HttpContext context, StreamLog log, ServerRuntime? server)
    {
        var error = context.Features.Get<IForwarderErrorFeature>()?.Error ?? ForwarderError.None;
        switch (error)
        {
            case ForwarderError.RequestBodyClient or ForwarderError.RequestCanceled:
                return "CR";
            case ForwarderError.ResponseBodyClient or ForwarderError.ResponseBodyCanceled or ForwarderError.UpgradeResponseClient:
                return "CD";
            case ForwarderError.ResponseBodyDestination or ForwarderError.UpgradeResponseDestination:
                return "SD";
            case ForwarderError.RequestTimedOut:
                return log.HeadersTimestamp == 0 ? "sH" : "sD";
            case ForwarderError.ResponseHeaders or ForwarderError.RequestBodyDestination:
                return "SH";
            default:
                break;
        }

        var status = context.Response.StatusCode;
        if (server is null)
        {
            // no server: none usable (503), or answered by the proxy itself: denied (PR) or redirect/return (LR)
            return status switch { StatusCodes.Status503ServiceUnavailable => "SC", StatusCodes.Status403Forbidden => "PR", _ => "LR" };
        }

        if (log.HeadersTimestamp == 0 && status == StatusCodes.Status503ServiceUnavailable)
        {
            return "SC";
        }

        if (log.HeadersTimestamp == 0 && status == StatusCodes.Status504GatewayTimeout)
        {
            return "sH";
        }

        if (log.HeadersTimestamp == 0 && error == ForwarderError.Request)
        {
            return "SH";
        }

        return context.RequestAborted.IsCancellationRequested ? "CD" : "--";
    }

    /// <summary>Counts <c>cli_abrt</c> (<c>C?</c> during data) or <c>srv_abrt</c> (<c>S?</c> during data) on the backend and server.</summary>
    private static void CountAbort(string termination, BackendRuntime backend, ServerRuntime? server)
    {
        if (termination.Length < 2 || termination[1] != 'D')
        {
            return;
        }

        if (termination[0] == 'C')
        {
            backend.State.Counters.CountClientAbort();
            server?.State.Counters.CountClientAbort();
        }
        else if (termination[0] == 'S')
        {
            backend.State.Counters.CountServerAbort();
            server?.State.Counters.CountServerAbort();
        }
    }

    private long ActiveConnections(FrontendRuntime frontend)
    {
        if (Model?.Invoke() is not { } model)
        {
            return frontend.Counters.Scur;
        }

        long total = 0;
        foreach (var each in model.Frontends)
        {
            total += Math.Max(0, each.Counters.Scur);
        }

        return total;
    }
}
