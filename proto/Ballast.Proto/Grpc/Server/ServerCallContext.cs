using Microsoft.AspNetCore.Http;

namespace Ballast.Proto.Grpc;

/// <summary>The server side of one gRPC call: request metadata, deadline, cancellation, response metadata and status.</summary>
public sealed class ServerCallContext
{
    private readonly ServerResponse _response;

    internal ServerCallContext(
        HttpContext httpContext,
        string method,
        Metadata requestHeaders,
        DateTime? deadline,
        CancellationToken cancellationToken,
        ServerResponse response)
    {
        HttpContext = httpContext;
        Method = method;
        RequestHeaders = requestHeaders;
        Deadline = deadline;
        CancellationToken = cancellationToken;
        _response = response;
        Peer = FormatPeer(httpContext);
    }

    /// <summary>The underlying ASP.NET Core request (connection info, client certificate, services).</summary>
    public HttpContext HttpContext { get; }

    /// <summary>The method's HTTP/2 path, <c>/package.Service/Method</c>.</summary>
    public string Method { get; }

    /// <summary>User metadata sent by the client (reserved headers removed, <c>-bin</c> values decoded).</summary>
    public Metadata RequestHeaders { get; }

    /// <summary>User metadata sent with the final status (trailers, or the headers of a Trailers-Only response).</summary>
    public Metadata ResponseTrailers { get; } = new();

    /// <summary>When the call must end, in UTC, from the client's <c>grpc-timeout</c>; null when none was sent.</summary>
    public DateTime? Deadline { get; }

    /// <summary>
    /// Fires when the client cancels or resets the call, the connection drops, the deadline passes, or the host
    /// starts stopping (the call then ends with UNAVAILABLE so clients reconnect).
    /// </summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The client's address, e.g. <c>ipv4:127.0.0.1:50123</c> or <c>ipv6:[::1]:50123</c>.</summary>
    public string Peer { get; }

    /// <summary>Status sent when the handler returns normally (default OK). A thrown <see cref="RpcException"/> wins.</summary>
    public Status Status { get; set; } = Status.Ok;

    /// <summary>
    /// Sends the response headers now, with <paramref name="headers"/> as user metadata. At most once, before the
    /// first response message; otherwise headers go out with the first message.
    /// </summary>
    /// <param name="headers">User metadata for the response headers.</param>
    public Task WriteResponseHeadersAsync(Metadata headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return _response.WriteHeadersAsync(headers, CancellationToken);
    }

    private static string FormatPeer(HttpContext httpContext)
    {
        var connection = httpContext.Connection;
        if (connection.RemoteIpAddress is not { } address)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"ipv6:[{address}]:{connection.RemotePort}"
            : $"ipv4:{address}:{connection.RemotePort}";
    }
}
