using System.Net.Security;
using System.Security.Authentication;
using Ballast.DataPlane.Config;
using Ballast.DataPlane.Proxy;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tls;

/// <summary>
/// The TLS step of a bind's Kestrel connection pipeline (after a PROXY-protocol step, before the frontend's
/// connection middleware). Each connection looks up its bind's <see cref="BindTls"/> in the current model: none =
/// plain, straight on; mode http = Kestrel's HTTPS middleware (so ALPN can select HTTP/2) whose per-handshake
/// callback picks the certificate by SNI; mode tcp = an <see cref="SslStream"/> run here, whose plaintext the relay
/// then carries. A bind keeps its socket when a snapshot turns <c>ssl</c> on or off or changes certificates: new
/// handshakes follow the new snapshot, open connections keep theirs. A failed handshake closes the connection and
/// counts <c>ereq</c> on the frontend.
/// </summary>
internal sealed partial class TlsConnectionStep(BindContext bind, ILogger logger)
{
    /// <summary>Longest TLS handshake (as Kestrel's default handshake timeout).</summary>
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    private ConnectionDelegate? _afterTls;

    /// <summary>Adds the step to <paramref name="listen"/>; call it where TLS belongs in the middleware order.</summary>
    /// <param name="listen">The bind's listen options.</param>
    public void Install(ListenOptions listen)
    {
        listen.Use(next => connection => OnConnectionAsync(connection, next));
        listen.UseHttps(new TlsHandshakeCallbackOptions { OnConnection = OnHandshake, HandshakeTimeout = HandshakeTimeout });
        listen.Use(next =>
        {
            _afterTls = next;
            return connection =>
            {
                if (connection.Features.Get<TlsConnectionState>() is { } state)
                {
                    state.Established = true;
                    connection.Features.Set<IConnectionSocketFeature>(null); // bytes must go through TLS, not to the raw socket
                }

                return next(connection);
            };
        });
    }

    private async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate https)
    {
        var frontend = bind.ResolveFrontend();
        BindTls? settings = null;
        frontend?.TlsBinds?.TryGetValue(bind.Endpoint, out settings);
        if (frontend is null || settings is null)
        {
            await _afterTls!(connection).ConfigureAwait(false);
            return;
        }

        var state = new TlsConnectionState(settings);
        connection.Features.Set(state);
        if (frontend.Mode == V1.Mode.Tcp)
        {
            await TerminateTcpAsync(connection, state).ConfigureAwait(false);
        }
        else
        {
            await https(connection).ConfigureAwait(false);
        }

        if (!state.Established)
        {
            frontend.Counters.CountRequestError();
            LogHandshakeFailed(logger, bind.Endpoint.ToString(), connection.RemoteEndPoint?.ToString() ?? "-");
        }
    }

    private ValueTask<SslServerAuthenticationOptions> OnHandshake(TlsHandshakeCallbackContext context)
    {
        var state = context.Connection.Features.Get<TlsConnectionState>()
            ?? throw new InvalidOperationException("TLS handshake without bind settings");
        var serverName = context.ClientHelloInfo.ServerName;
        state.ServerName = string.IsNullOrEmpty(serverName) ? null : serverName;
        return ValueTask.FromResult(state.Settings.CreateOptions(state.ServerName, httpMode: true));
    }

    private async Task TerminateTcpAsync(ConnectionContext connection, TlsConnectionState state)
    {
        var transport = connection.Transport;
        var ssl = new SslStream(new DuplexPipeStream(transport), leaveInnerStreamOpen: true);
        await using (ssl.ConfigureAwait(false))
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
            timeout.CancelAfter(HandshakeTimeout);
            try
            {
                await ssl.AuthenticateAsServerAsync(
                    (_, hello, _, _) =>
                    {
                        state.ServerName = string.IsNullOrEmpty(hello.ServerName) ? null : hello.ServerName;
                        return ValueTask.FromResult(state.Settings.CreateOptions(state.ServerName, httpMode: false));
                    },
                    null,
                    timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException)
            {
                return;
            }

            connection.Transport = new TlsTcpTransport(ssl, transport);
            try
            {
                state.Established = true;
                connection.Features.Set<IConnectionSocketFeature>(null); // the relay must write through TLS
                await _afterTls!(connection).ConfigureAwait(false);
            }
            finally
            {
                connection.Transport = transport;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Bind {Endpoint}: TLS handshake with {Client} failed")]
    private static partial void LogHandshakeFailed(ILogger logger, string endpoint, string client);
}
