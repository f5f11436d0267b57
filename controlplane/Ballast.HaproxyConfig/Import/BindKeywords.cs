using System.Collections.Frozen;

namespace Ballast.HaproxyConfig.Import;

/// <summary>
/// The <c>bind</c> options of HAProxy 2.6 (manual, section 5.1 "Bind options") and how many arguments each takes,
/// so that a bind line's options can be walked and reported one by one.
/// </summary>
internal static class BindKeywords
{
    private static readonly FrozenSet<string> WithArgument = new[]
    {
        "accept-netscaler-cip", "alpn", "backlog", "ca-file", "ca-ignore-err", "ca-sign-file", "ca-sign-pass",
        "ca-verify-file", "ciphers", "ciphersuites", "client-sigalgs", "crl-file", "crt", "crt-ignore-err",
        "crt-list", "curves", "ecdhe", "expose-fd", "gid", "group", "id", "interface", "label", "level", "maxconn",
        "mode", "mss", "name", "namespace", "nice", "npn", "process", "proto", "quic-cc-algo", "severity-output",
        "shards", "sigalgs", "ssl-max-ver", "ssl-min-ver", "tcp-ut", "thread", "tls-ticket-keys", "uid", "user",
        "verify", "idle-ping", "guid-prefix",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Flags = new[]
    {
        "accept-proxy", "allow-0rtt", "defer-accept", "force-sslv3", "force-tlsv10", "force-tlsv11", "force-tlsv12",
        "force-tlsv13", "generate-certificates", "no-alpn", "no-ca-names", "no-sslv3", "no-tls-tickets", "no-tlsv10",
        "no-tlsv11", "no-tlsv12", "no-tlsv13", "prefer-client-ciphers", "ssl", "strict-sni", "tfo", "transparent",
        "v4v6", "v6only", "quic-force-retry",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Number of arguments of option <paramref name="keyword"/>, or null if HAProxy 2.6 does not know it.</summary>
    public static int? ArgumentCount(string keyword) =>
        WithArgument.Contains(keyword) ? 1 : Flags.Contains(keyword) ? 0 : null;
}
