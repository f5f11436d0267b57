namespace Ballast.DataPlane.Tls;

/// <summary>
/// Connection feature of a connection on an <c>ssl</c> bind: the bind's settings it was accepted with, the SNI the
/// client sent (HAProxy <c>ssl_fc_sni</c>) and whether the handshake completed.
/// </summary>
internal sealed class TlsConnectionState(BindTls settings)
{
    /// <summary>The bind's TLS settings when the connection arrived.</summary>
    public BindTls Settings { get; } = settings;

    /// <summary>The client's SNI; null when it sent none (the <c>ssl_fc_sni</c> sample then does not exist).</summary>
    public string? ServerName { get; set; }

    /// <summary>Whether the handshake succeeded and the connection went on to the frontend.</summary>
    public bool Established { get; set; }
}
