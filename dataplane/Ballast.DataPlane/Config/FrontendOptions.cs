using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Net;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Config;

/// <summary>
/// A frontend's connection and header options with HAProxy defaults applied: the binds with <c>accept-proxy</c>,
/// <c>timeout http-request</c> (default: <c>timeout client</c>), <c>timeout http-keep-alive</c> (default:
/// <c>timeout http-request</c>) and <c>option forwardfor [except] [header]</c>.
/// </summary>
internal sealed class FrontendOptions
{
    private readonly ConcurrentDictionary<BackendRuntime, Proxy.BackendTransformer> _transformers = new();

    /// <summary>Options of a frontend that sets none of them (timeouts from HAProxy's default <c>timeout client</c>).</summary>
    public static readonly FrontendOptions Default = new();

    /// <summary>Binds whose connections begin with a PROXY protocol header (<c>bind ... accept-proxy</c>).</summary>
    public FrozenSet<BindEndpoint> AcceptProxyBinds { get; init; } = FrozenSet<BindEndpoint>.Empty;

    /// <summary><c>timeout http-request</c>: longest wait for a complete request header block (408 after it).</summary>
    public TimeSpan HttpRequestTimeout { get; init; } = HaproxyDefaults.ClientTimeout;

    /// <summary><c>timeout http-keep-alive</c>: longest idle time between two requests of a keep-alive connection.</summary>
    public TimeSpan HttpKeepAliveTimeout { get; init; } = HaproxyDefaults.ClientTimeout;

    /// <summary>The frontend's <c>option forwardfor</c>, or null when off.</summary>
    public ForwardFor? ForwardFor { get; init; }

    /// <summary>Reads the options of <paramref name="frontend"/> (validated by <see cref="SnapshotValidator"/>).</summary>
    /// <param name="frontend">The frontend message.</param>
    /// <param name="clientTimeout">The frontend's effective <c>timeout client</c>.</param>
    public static FrontendOptions From(V1.Frontend frontend, TimeSpan clientTimeout)
    {
        var acceptProxy = new HashSet<BindEndpoint>();
        foreach (var bind in frontend.Binds)
        {
            if (bind.AcceptProxy && BindEndpoint.TryParse(bind.Address, bind.Port, out var endpoint))
            {
                acceptProxy.Add(endpoint);
            }
        }

        var httpRequest = frontend.TimeoutHttpRequestMs > 0 ? TimeSpan.FromMilliseconds(frontend.TimeoutHttpRequestMs) : clientTimeout;
        return new FrontendOptions
        {
            AcceptProxyBinds = acceptProxy.ToFrozenSet(),
            HttpRequestTimeout = httpRequest,
            HttpKeepAliveTimeout = frontend.TimeoutHttpKeepAliveMs > 0 ? TimeSpan.FromMilliseconds(frontend.TimeoutHttpKeepAliveMs) : httpRequest,
            ForwardFor = ReadForwardFor(frontend),
        };
    }

    /// <summary>Reads <c>option forwardfor</c> of a frontend, as <see cref="BackendOptions.From"/> reads a backend's.</summary>
    /// <param name="frontend">The frontend message.</param>
    private static ForwardFor? ReadForwardFor(V1.Frontend frontend)
    {
        if (!frontend.Forwardfor)
        {
            return null;
        }

        IPNetwork? except = frontend.ForwardforExcept.Length > 0 && Config.ForwardFor.TryParseNetwork(frontend.ForwardforExcept, out var network)
            ? network
            : null;
        return new ForwardFor(frontend.ForwardforHeader.Length > 0 ? frontend.ForwardforHeader : Config.ForwardFor.DefaultHeader, except);
    }

    /// <summary>
    /// The request transformer for requests of this frontend sent to <paramref name="backend"/>: the backend's own
    /// when the frontend has no <c>option forwardfor</c>, otherwise one (cached per backend of this model) that also
    /// applies the frontend's option.
    /// </summary>
    /// <param name="backend">The backend the request goes to.</param>
    public Proxy.BackendTransformer TransformerFor(BackendRuntime backend) =>
        ForwardFor is null
            ? backend.Transformer
            : _transformers.GetOrAdd(backend, static (b, frontendForwardFor) => new Proxy.BackendTransformer(b.Options, b.ConnectTimeout, frontendForwardFor), ForwardFor);
}
