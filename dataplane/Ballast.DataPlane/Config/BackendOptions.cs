using System.Collections.Immutable;
using System.Net;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Config;

/// <summary>
/// A backend's queueing, retry, redispatch and header options with HAProxy defaults applied: <c>timeout queue</c>
/// (default: <c>timeout connect</c>), <c>retries 3</c>, <c>retry-on conn-failure</c>, <c>option redispatch</c>
/// (Ballast default: every retry), <c>option allbackups</c> and <c>option forwardfor [except] [header]</c>.
/// </summary>
internal sealed record BackendOptions
{
    /// <summary>Options of a backend that sets none of them.</summary>
    public static readonly BackendOptions Default = new();

    /// <summary><c>option allbackups</c>: all usable backups share the load when every active server is down.</summary>
    public bool AllBackups { get; init; }

    /// <summary><c>timeout queue</c>: longest wait for a <c>maxconn</c> slot; null = the backend's <c>timeout connect</c>.</summary>
    public TimeSpan? QueueTimeout { get; init; }

    /// <summary><c>retries</c>: attempts after the first one (HAProxy default 3).</summary>
    public int Retries { get; init; } = HaproxyDefaults.Retries;

    /// <summary><c>retry-on</c>: the failures that are retried (HAProxy default <c>conn-failure</c>).</summary>
    public RetryOn RetryOn { get; init; } = RetryOn.ConnectionFailure;

    /// <summary>HTTP statuses of <c>retry-on &lt;status&gt;</c> (401 403 404 408 425 500 501 502 503 504).</summary>
    public ImmutableArray<int> RetryStatuses { get; init; } = [];

    /// <summary>
    /// <c>option redispatch &lt;interval&gt;</c>: positive P = redispatch on every P-th retry, negative N = on the
    /// |N|-th retry before the last one, 0 = never. Ballast's default is 1 (HAProxy 2.6: off unless set).
    /// </summary>
    public int Redispatch { get; init; } = 1;

    /// <summary><c>option forwardfor</c> settings, or null when the option is off.</summary>
    public ForwardFor? ForwardFor { get; init; }

    /// <summary><c>timeout tunnel</c>: idle timeout of tcp relays and upgraded (WebSocket) connections; null = not set.</summary>
    public TimeSpan? TunnelTimeout { get; init; }

    /// <summary><c>option forwarded</c> (RFC 7239 <c>Forwarded</c> header), or null when off.</summary>
    public ForwardedSettings? Forwarded { get; init; }

    /// <summary>
    /// Whether retry number <paramref name="retry"/> (1-based) of at most <paramref name="retries"/> goes to another
    /// server, as HAProxy's <c>redispatch</c> interval (<c>srv_redispatch_connect</c>/<c>stream_conn_retry</c>).
    /// </summary>
    /// <param name="retry">The retry about to be made, 1 for the first retry.</param>
    /// <param name="retries">The backend's <c>retries</c>.</param>
    public bool RedispatchesOn(int retry, int retries) => Redispatch switch
    {
        0 => false,
        > 0 => retry % Redispatch == 0,
        _ => retries - retry + 1 == -Redispatch,
    };

    /// <summary>Reads the options of <paramref name="backend"/> (validated by <see cref="SnapshotValidator"/>).</summary>
    /// <param name="backend">The backend message.</param>
    public static BackendOptions From(V1.Backend backend)
    {
        var (retryOn, statuses) = RetryOnParser.Parse(backend.RetryOn, out _);
        ForwardFor? forwardFor = null;
        if (backend.Forwardfor)
        {
            IPNetwork? except = null;
            if (backend.ForwardforExcept.Length > 0 && ForwardFor.TryParseNetwork(backend.ForwardforExcept, out var network))
            {
                except = network;
            }

            forwardFor = new ForwardFor(
                backend.ForwardforHeader.Length > 0 ? backend.ForwardforHeader : ForwardFor.DefaultHeader,
                except);
        }

        return new BackendOptions
        {
            AllBackups = backend.Allbackups,
            QueueTimeout = backend.TimeoutQueueMs > 0 ? TimeSpan.FromMilliseconds(backend.TimeoutQueueMs) : null,
            Retries = backend.HasRetries ? (int)backend.Retries : HaproxyDefaults.Retries,
            RetryOn = retryOn,
            RetryStatuses = statuses,
            Redispatch = backend.HasRedispatch ? backend.Redispatch : 1,
            ForwardFor = forwardFor,
            TunnelTimeout = backend.TimeoutTunnelMs > 0 ? TimeSpan.FromMilliseconds(backend.TimeoutTunnelMs) : null,
            Forwarded = ForwardedSettings.From(backend.Forwarded),
        };
    }
}

/// <summary>HAProxy <c>option forwardfor [except &lt;network&gt;] [header &lt;name&gt;]</c>.</summary>
/// <param name="Header">Header name (default <c>X-Forwarded-For</c>).</param>
/// <param name="Except">Clients in this network get no header; null = none.</param>
internal sealed record ForwardFor(string Header, IPNetwork? Except)
{
    /// <summary>HAProxy's default header name.</summary>
    public const string DefaultHeader = "X-Forwarded-For";

    /// <summary>Whether a request from <paramref name="client"/> gets the header.</summary>
    /// <param name="client">The client address.</param>
    public bool AppliesTo(IPAddress client)
    {
        if (Except is not { } except)
        {
            return true;
        }

        var address = client.IsIPv4MappedToIPv6 && except.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? client.MapToIPv4()
            : client;
        return !except.Contains(address);
    }

    /// <summary>Parses <c>a.b.c.d/n</c>, an IPv6 CIDR, <c>a.b.c.d/m.m.m.m</c> (HAProxy accepts masks) or an address.</summary>
    /// <param name="text">The network.</param>
    /// <param name="network">The parsed network.</param>
    public static bool TryParseNetwork(string text, out IPNetwork network)
    {
        network = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            if (!IPAddress.TryParse(text, out var single))
            {
                return false;
            }

            network = new IPNetwork(single, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        if (text.AsSpan(slash + 1).Contains('.') && IPAddress.TryParse(text.AsSpan(slash + 1), out var mask) && mask.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            && IPAddress.TryParse(text.AsSpan(0, slash), out var baseAddress)
            && baseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            var bits = mask.GetAddressBytes();
            var value = ((uint)bits[0] << 24) | ((uint)bits[1] << 16) | ((uint)bits[2] << 8) | bits[3];
            var prefix = System.Numerics.BitOperations.PopCount(value);
            if (value != (prefix == 0 ? 0 : uint.MaxValue << (32 - prefix)))
            {
                return false;
            }

            text = $"{text[..slash]}/{prefix}";
        }

        if (!IPNetwork.TryParse(text, out network))
        {
            // HAProxy masks the address itself (10.1.2.3/8 = 10.0.0.0/8); IPNetwork refuses host bits.
            if (IPAddress.TryParse(text.AsSpan(0, slash), out var address) && int.TryParse(text.AsSpan(slash + 1), out var length)
                && length >= 0 && length <= (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128))
            {
                var bytes = address.GetAddressBytes();
                for (var i = 0; i < bytes.Length; i++)
                {
                    var keep = Math.Clamp(length - (i * 8), 0, 8);
                    bytes[i] &= (byte)(0xFF << (8 - keep));
                }

                network = new IPNetwork(new IPAddress(bytes), length);
                return true;
            }

            return false;
        }

        return true;
    }
}
