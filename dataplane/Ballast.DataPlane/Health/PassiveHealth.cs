using System.Net.Http;
using Ballast.DataPlane.Config;
using Yarp.ReverseProxy.Forwarder;

namespace Ballast.DataPlane.Health;

/// <summary>
/// Reports what live traffic observed on a server to its passive health (HAProxy <c>health_adjust</c>): every proxy
/// path (YARP mode http, the mode tcp relay, and any other engine serving the same model) calls these after each
/// attempt on a server. Nothing happens for servers without <c>observe</c> or without <c>check</c>.
/// </summary>
internal static class PassiveHealth
{
    /// <summary>Reports one observation on <paramref name="server"/>.</summary>
    /// <param name="server">The server the attempt went to.</param>
    /// <param name="observation">What happened.</param>
    /// <returns>True when the server changed between UP and DOWN because of it.</returns>
    public static bool Report(ServerRuntime server, PassiveHealthEvent observation)
    {
        if (server.Passive is not { } settings || server.Check is not { } check || !server.IsChecked)
        {
            return false;
        }

        var health = server.State.Health;
        switch (PassiveHealthEvents.Classify(settings.Observe, observation))
        {
            case PassiveHealthVerdict.Success:
                health.ObserveSuccess();
                return false;
            case PassiveHealthVerdict.Error:
                return health.ObserveError(settings, check, PassiveHealthEvents.Describe(observation));
            default:
                return false;
        }
    }

    /// <summary>Reports a connection attempt: established (<c>L4 OK</c>) or failed (<c>L4 ERR</c>).</summary>
    /// <param name="server">The server.</param>
    /// <param name="connected">Whether the connection was established.</param>
    public static bool ReportConnect(ServerRuntime server, bool connected) =>
        Report(server, connected ? PassiveHealthEvent.L4Ok : PassiveHealthEvent.L4Error);

    /// <summary>Reports an HTTP response status received from the server (its connection was established).</summary>
    /// <param name="server">The server.</param>
    /// <param name="status">The status code the server sent.</param>
    public static void ReportResponse(ServerRuntime server, int status)
    {
        Report(server, PassiveHealthEvent.L4Ok);
        Report(server, PassiveHealthEvents.ForStatus(status));
    }

    /// <summary>
    /// Reports a forwarding attempt that failed with <paramref name="error"/>: a connect failure is an <c>L4 ERR</c>;
    /// a response timeout, a broken or invalid response and a failed response read are layer-7 errors; failures on the
    /// client's side say nothing about the server and are ignored.
    /// </summary>
    /// <param name="server">The server.</param>
    /// <param name="error">YARP's error.</param>
    /// <param name="exception">The exception YARP reported.</param>
    /// <param name="connectFailure">Whether the attempt failed to connect (nothing reached the server).</param>
    public static void ReportForwarderError(ServerRuntime server, ForwarderError error, Exception? exception, bool connectFailure)
    {
        if (connectFailure)
        {
            Report(server, PassiveHealthEvent.L4Error);
            return;
        }

        PassiveHealthEvent? observation = error switch
        {
            ForwarderError.RequestTimedOut => PassiveHealthEvent.HttpReadTimeout,
            ForwarderError.Request or ForwarderError.ResponseHeaders => ResponseFailure(exception),
            ForwarderError.ResponseBodyDestination or ForwarderError.UpgradeResponseDestination => PassiveHealthEvent.HttpReadError,
            _ => null,
        };
        if (observation is { } value)
        {
            Report(server, PassiveHealthEvent.L4Ok);
            Report(server, value);
        }
    }

    private static PassiveHealthEvent ResponseFailure(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse })
            {
                return PassiveHealthEvent.HttpInvalidResponse;
            }

            if (current is HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded })
            {
                return PassiveHealthEvent.HttpBrokenPipe;
            }
        }

        return PassiveHealthEvent.HttpReadError;
    }
}
