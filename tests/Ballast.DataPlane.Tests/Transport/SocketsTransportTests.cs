using Ballast.DataPlane.Tests.Proxy;
using Ballast.DataPlane.Tests.Proxy.FastPath;

namespace Ballast.DataPlane.Tests.Transport;

/// <summary>
/// The node on Kestrel's socket transport (<c>BALLAST_TRANSPORT=sockets</c>, and every machine that is not Linux
/// x86-64): the framing, proxy, bind-change and mode tcp tests run here as on the default epoll transport.
/// </summary>
public sealed class FastPathFramingSocketsTransportTests : FastPathFramingTests
{
    protected override bool? EpollTransport => false;
}

/// <summary>The main HTTP proxy tests on Kestrel's socket transport.</summary>
public sealed class ProxyIntegrationSocketsTransportTests : ProxyIntegrationTests
{
    protected override bool? EpollTransport => false;
}

/// <summary>Bind changes at run time on Kestrel's socket transport.</summary>
public sealed class BindChangeSocketsTransportTests : BindChangeIntegrationTests
{
    protected override bool? EpollTransport => false;
}

/// <summary>mode tcp (half-close, timeouts, retries) on Kestrel's socket transport.</summary>
public sealed class TcpProxySocketsTransportTests : TcpProxyIntegrationTests
{
    protected override bool? EpollTransport => false;
}
