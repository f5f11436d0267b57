using System.Net;

namespace Ballast.DataPlane.ProxyProtocol;

/// <summary>
/// A received PROXY protocol header (haproxy doc/proxy-protocol.txt). <see cref="Source"/> and
/// <see cref="Destination"/> are set only when the header carries TCP over IPv4/IPv6 addresses; otherwise (v1
/// <c>UNKNOWN</c>, v2 <c>LOCAL</c>, v2 <c>UNSPEC</c>/<c>UNIX</c>/datagram families) the connection's real addresses are
/// kept, as HAProxy does.
/// </summary>
/// <param name="Version">1 (text) or 2 (binary).</param>
/// <param name="Source">The original client address and port, or null to keep the real one.</param>
/// <param name="Destination">The address and port the client connected to, or null to keep the real one.</param>
internal readonly record struct ProxyHeader(int Version, IPEndPoint? Source, IPEndPoint? Destination)
{
    /// <summary>Whether the header carries addresses (a v1 <c>TCP4</c>/<c>TCP6</c> line or a v2 <c>PROXY</c> command with an IP family).</summary>
    public bool HasAddresses => Source is not null && Destination is not null;
}

/// <summary>Outcome of <see cref="ProxyHeaderParser.TryParse"/>.</summary>
internal enum ProxyParseStatus
{
    /// <summary>More bytes are needed.</summary>
    Incomplete,

    /// <summary>A complete, valid header was read.</summary>
    Complete,

    /// <summary>The bytes are not a valid PROXY protocol header: the connection must be closed.</summary>
    Invalid,
}
