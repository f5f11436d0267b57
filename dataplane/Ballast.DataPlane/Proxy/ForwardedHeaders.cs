using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using Ballast.DataPlane.Config;
using Microsoft.AspNetCore.Http;

namespace Ballast.DataPlane.Proxy;

/// <summary>
/// Adds the client-address headers of a forwarded request (mode http).
/// <para>
/// <c>option forwardfor</c>, as HAProxy 2.6 <c>http_process_request</c>: the header is added once when the frontend,
/// the backend or both have the option; no header when the client is in the <c>except</c> network of either; it is
/// named by the backend's <c>header</c> when the backend has the option, otherwise by the frontend's. The value is the
/// client address (after any PROXY protocol header), IPv4-mapped addresses as IPv4, appended after any value the
/// client sent.
/// </para>
/// <para>
/// <c>option forwarded</c>, as HAProxy 2.8 (RFC 7239): one element <c>proto=http|https;host="...";by="ip:port";for="ip:port"</c>
/// with the configured parameters in that order (IPv6 bracketed), appended after any <c>Forwarded</c> value the client
/// sent (the same header line, comma-separated). <c>host</c> is left out when the request has no Host header.
/// </para>
/// </summary>
internal static class ForwardedHeaders
{
    /// <summary>The RFC 7239 header name.</summary>
    public const string ForwardedHeader = "Forwarded";

    /// <summary>Adds the headers the options ask for to <paramref name="request"/>.</summary>
    /// <param name="context">The client request.</param>
    /// <param name="request">The request to the server.</param>
    /// <param name="frontend">The frontend's <c>option forwardfor</c>, or null.</param>
    /// <param name="backend">The backend's options (<c>option forwardfor</c>, <c>option forwarded</c>).</param>
    public static void Apply(HttpContext context, HttpRequestMessage request, ForwardFor? frontend, BackendOptions backend)
    {
        var connection = context.Connection;
        var client = connection.RemoteIpAddress;
        var forwardFor = backend.ForwardFor ?? frontend;
        if (forwardFor is not null
            && client is not null
            && (frontend?.AppliesTo(client) ?? true)
            && (backend.ForwardFor?.AppliesTo(client) ?? true))
        {
            request.Headers.TryAddWithoutValidation(forwardFor.Header, Unmap(client).ToString());
        }

        if (backend.Forwarded is { } forwarded)
        {
            request.Headers.TryAddWithoutValidation(ForwardedHeader, Element(context, forwarded));
        }
    }

    /// <summary>The <c>Forwarded</c> element of a request, e.g. <c>proto=http;for="127.0.0.1:5000"</c>.</summary>
    /// <param name="context">The client request.</param>
    /// <param name="forwarded">Which parameters to write.</param>
    public static string Element(HttpContext context, ForwardedSettings forwarded)
    {
        var connection = context.Connection;
        var parts = new List<string>(4);
        if (forwarded.Proto)
        {
            parts.Add(context.Request.IsHttps ? "proto=https" : "proto=http");
        }

        if (forwarded.Host && context.Request.Headers.Host is { Count: > 0 } host)
        {
            parts.Add($"host={Quote(host.ToString())}");
        }

        if (forwarded.By && connection.LocalIpAddress is { } local)
        {
            parts.Add($"by={Quote(Node(local, connection.LocalPort))}");
        }

        if (forwarded.For && connection.RemoteIpAddress is { } remote)
        {
            parts.Add($"for={Quote(Node(remote, connection.RemotePort))}");
        }

        return string.Join(';', parts);
    }

    private static IPAddress Unmap(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static string Node(IPAddress address, int port)
    {
        var ip = Unmap(address);
        var text = ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{ip}]" : ip.ToString();
        return string.Create(CultureInfo.InvariantCulture, $"{text}:{port}");
    }

    private static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                text.Append('\\');
            }

            text.Append(c);
        }

        return text.Append('"').ToString();
    }
}
