using System.Collections.Frozen;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// The <c>server</c>/<c>default-server</c> options of HAProxy 2.6 that the model does not carry (manual, section
/// 5.2 "Server and default-server options") and how many arguments each takes, so that a server line can be walked
/// and each option reported at its column.
/// </summary>
internal static class ServerKeywords
{
    private static readonly FrozenSet<string> WithArgument = new[]
    {
        "addr", "agent-addr", "agent-inter", "agent-port", "agent-send", "alpn", "ca-file", "check-alpn",
        "check-proto", "check-sni", "ciphers", "ciphersuites", "client-sigalgs", "cookie", "crl-file", "crt",
        "curves", "downinter", "fastinter", "hash-key", "id", "init-addr", "log-proto", "max-reuse",
        "maxqueue", "minconn", "namespace", "npn", "on-marked-down", "on-marked-up",
        "pool-low-conn", "pool-max-conn", "pool-purge-delay", "port", "proto", "proxy-v2-options", "redir",
        "resolve-net", "resolve-opts", "resolve-prefer", "resolvers", "shard", "sigalgs", "slowstart", "sni",
        "socks4", "ssl-max-ver", "ssl-min-ver", "tcp-ut", "track", "verify", "verifyhost", "ws", "set-proxy-v2-tlv-fmt",
        "guid",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Flags = new[]
    {
        "agent-check", "allow-0rtt", "backup", "check-send-proxy", "check-ssl", "check-via-socks4", "force-sslv3",
        "force-tlsv10", "force-tlsv11", "force-tlsv12", "force-tlsv13", "no-agent-check", "no-backup",
        "no-check-ssl", "no-send-proxy", "no-send-proxy-v2", "no-send-proxy-v2-ssl", "no-send-proxy-v2-ssl-cn",
        "no-ssl", "no-ssl-reuse", "no-sslv3", "no-tfo", "no-tls-tickets", "no-tlsv10", "no-tlsv11", "no-tlsv12",
        "no-tlsv13", "no-verifyhost", "non-stick", "send-proxy", "send-proxy-v2", "send-proxy-v2-ssl",
        "send-proxy-v2-ssl-cn", "ssl", "ssl-reuse", "stick", "tfo", "tls-tickets",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Number of arguments of <paramref name="keyword"/>, or null if HAProxy 2.6 does not know it.</summary>
    /// <remarks><c>source</c> takes a variable number and is walked by the caller.</remarks>
    public static int? ArgumentCount(string keyword) =>
        WithArgument.Contains(keyword) ? 1 : Flags.Contains(keyword) ? 0 : null;
}
