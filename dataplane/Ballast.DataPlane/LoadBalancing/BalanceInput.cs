using System.Net;
using Microsoft.AspNetCore.Http;

namespace Ballast.DataPlane.LoadBalancing;

/// <summary>
/// The request properties hashing algorithms read, gathered without copying: the client address
/// (<c>balance source</c>), the request-target as received (<c>uri</c>, <c>url_param</c>) and the request headers
/// (<c>hdr()</c>). Mode tcp only has the address.
/// </summary>
/// <param name="source">Client address.</param>
/// <param name="target">Request-target as received on the request line (HAProxy's URI), e.g. <c>/a/b?x=1</c>.</param>
/// <param name="headers">Request headers.</param>
internal readonly struct BalanceInput(IPAddress? source, string? target, IHeaderDictionary? headers)
{
    /// <summary>Client address, or null when unknown.</summary>
    public IPAddress? Source { get; } = source;

    /// <summary>Request-target as received (HAProxy's URI), or null in mode tcp.</summary>
    public string? Target { get; } = target;

    /// <summary>Request headers, or null in mode tcp.</summary>
    public IHeaderDictionary? Headers { get; } = headers;
}
