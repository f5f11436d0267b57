namespace Ballast.DataPlane.Proxy.FastPath;

/// <summary>
/// What the fast path knows of one HTTP/1.x message head (request or response) after
/// <see cref="Http1Parser"/>: only the framing and connection-management facts, plus offsets of the request line
/// parts into the head bytes (no strings are built unless a balancer or the access log needs one). One instance per
/// connection side, reset by each message.
/// </summary>
internal sealed class Http1Head
{
    /// <summary>Length of the head in bytes, final CRLF CRLF included.</summary>
    public int Length { get; set; }

    /// <summary>HTTP minor version: 0 (HTTP/1.0) or 1 (HTTP/1.1).</summary>
    public int MinorVersion { get; set; }

    /// <summary>Request: offset and length of the method in the head.</summary>
    public (int Start, int Length) Method { get; set; }

    /// <summary>Request: offset and length of the request-target in the head.</summary>
    public (int Start, int Length) Target { get; set; }

    /// <summary>Request: the method is HEAD (the response has no body).</summary>
    public bool IsHead { get; set; }

    /// <summary>Response: the status code.</summary>
    public int Status { get; set; }

    /// <summary><c>Content-Length</c> value; -1 when absent.</summary>
    public long ContentLength { get; set; }

    /// <summary><c>Transfer-Encoding</c> ends with <c>chunked</c>.</summary>
    public bool Chunked { get; set; }

    /// <summary><c>Connection</c> lists <c>close</c>.</summary>
    public bool ConnectionClose { get; set; }

    /// <summary><c>Connection</c> lists <c>keep-alive</c>.</summary>
    public bool ConnectionKeepAlive { get; set; }

    /// <summary><c>Connection</c> lists a token other than <c>close</c>, <c>keep-alive</c> and <c>upgrade</c> (a hop-by-hop header name).</summary>
    public bool ConnectionOther { get; set; }

    /// <summary>Request: <c>Upgrade</c> present and <c>Connection</c> lists <c>upgrade</c> (e.g. WebSocket).</summary>
    public bool Upgrade { get; set; }

    /// <summary>Request: <c>Expect: 100-continue</c>.</summary>
    public bool ExpectContinue { get; set; }

    /// <summary>Whether the connection persists after this message, by version and <c>Connection</c> (RFC 9112 9.3).</summary>
    public bool KeepAlive => MinorVersion >= 1 ? !ConnectionClose : ConnectionKeepAlive && !ConnectionClose;

    /// <summary>Request: whether a body follows the head.</summary>
    public bool HasRequestBody => Chunked || ContentLength > 0;

    /// <summary>Clears the previous message's facts.</summary>
    public void Reset()
    {
        Length = 0;
        MinorVersion = 1;
        Method = default;
        Target = default;
        IsHead = false;
        Status = 0;
        ContentLength = -1;
        Chunked = false;
        ConnectionClose = false;
        ConnectionKeepAlive = false;
        ConnectionOther = false;
        Upgrade = false;
        ExpectContinue = false;
    }
}
