namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// The timeouts, retry and header options a proxy inherits from its <c>defaults</c> and overrides (manual, section
/// 4.2): <c>timeout client|connect|server|queue</c>, <c>retries</c>, <c>retry-on</c>, <c>[no] option redispatch</c>,
/// <c>[no] option allbackups</c>, <c>[no] option forwardfor</c>. Null means "not set" (the model's default).
/// </summary>
internal sealed record TrafficSettings
{
    /// <summary>Nothing set.</summary>
    public static readonly TrafficSettings None = new();

    /// <summary><c>timeout client</c> in milliseconds.</summary>
    public Sourced<uint>? TimeoutClientMs { get; init; }

    /// <summary><c>timeout connect</c> in milliseconds.</summary>
    public Sourced<uint>? TimeoutConnectMs { get; init; }

    /// <summary><c>timeout server</c> in milliseconds.</summary>
    public Sourced<uint>? TimeoutServerMs { get; init; }

    /// <summary><c>timeout queue</c> in milliseconds.</summary>
    public Sourced<uint>? TimeoutQueueMs { get; init; }

    /// <summary><c>retries</c>.</summary>
    public Sourced<uint>? Retries { get; init; }

    /// <summary><c>retry-on</c> keywords.</summary>
    public Sourced<IReadOnlyList<string>>? RetryOn { get; init; }

    /// <summary><c>option redispatch [interval]</c> (-1 without interval) or <c>no option redispatch</c> (0).</summary>
    public Sourced<int>? Redispatch { get; init; }

    /// <summary><c>option allbackups</c> (true) or <c>no option allbackups</c> (false).</summary>
    public Sourced<bool>? Allbackups { get; init; }

    /// <summary><c>option forwardfor</c> with its arguments, or <c>no option forwardfor</c> (null value).</summary>
    public Sourced<ForwardFor?>? Forwardfor { get; init; }

    /// <summary><c>timeout http-request</c> in milliseconds (frontend).</summary>
    public Sourced<uint>? TimeoutHttpRequestMs { get; init; }

    /// <summary><c>timeout http-keep-alive</c> in milliseconds (frontend).</summary>
    public Sourced<uint>? TimeoutHttpKeepAliveMs { get; init; }

    /// <summary><c>timeout tunnel</c> in milliseconds (backend).</summary>
    public Sourced<uint>? TimeoutTunnelMs { get; init; }

    /// <summary>HAProxy 2.8 <c>option forwarded</c>, or <c>no option forwarded</c> (null value).</summary>
    public Sourced<Proto.V1.ForwardedOption?>? Forwarded { get; init; }
}

/// <summary>The arguments of <c>option forwardfor [except &lt;network&gt;] [header &lt;name&gt;]</c>; empty = not given.</summary>
/// <param name="Except">The network without the header.</param>
/// <param name="Header">The header name.</param>
internal sealed record ForwardFor(string Except, string Header);
