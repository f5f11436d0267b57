namespace Ballast.DataPlane.Tests.Proxy.FastPath;

/// <summary>
/// The main HTTP proxy tests with the fast path switched off, so both paths run them: the base classes run on the
/// node default (eligible frontends on the fast path), these on Kestrel + YARP.
/// </summary>
public sealed class ProxyIntegrationYarpPathTests : ProxyIntegrationTests
{
    protected override bool? HttpFastPath => false;
}

/// <summary>The server-option tests (backup, maxconn, queue, retries, forwardfor, slowstart) on Kestrel + YARP.</summary>
public sealed class ServerOptionsIntegrationYarpPathTests : ServerOptionsIntegrationTests
{
    protected override bool? HttpFastPath => false;
}
