using System.Collections.Frozen;

namespace Ballast.HaproxyConfig.Syntax;

/// <summary>
/// What the reader needs besides the text: the environment for <c>"${VAR}"</c> (manual, section 2.3) and the
/// version and build features that <c>.if version_atleast(...)</c> and <c>.if feature(...)</c> test (section 2.4).
/// </summary>
public sealed record ParseOptions
{
    /// <summary>
    /// The features of Debian 12's HAProxy 2.6 build, as listed with '+' by <c>haproxy -vv</c>: the default for
    /// <see cref="Features"/>.
    /// </summary>
    public static readonly IReadOnlySet<string> DebianHaproxy26Features = new[]
    {
        "ACCEPT4", "BACKTRACE", "CPU_AFFINITY", "CRYPT_H", "DL", "EPOLL", "GETADDRINFO", "LIBCRYPT", "LINUX_SPLICE",
        "LINUX_TPROXY", "LUA", "NETFILTER", "NS", "OPENSSL", "OT", "PCRE2", "PCRE2_JIT", "POLL", "PRCTL", "PROMEX",
        "RT", "SLZ", "SYSTEMD", "TFO", "THREAD", "THREAD_DUMP", "TPROXY",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// Environment variables visible to the file. The process environment is never read: a variable not in this
    /// dictionary is unset. <c>setenv</c>, <c>presetenv</c>, <c>unsetenv</c> and <c>resetenv</c> in <c>global</c>
    /// change it for the lines that follow, as in HAProxy.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = FrozenDictionary<string, string>.Empty;

    /// <summary>File name returned by the <c>.FILE</c> pseudo-variable.</summary>
    public string FileName { get; init; } = "haproxy.cfg";

    /// <summary>
    /// The HAProxy version that <c>version_atleast</c>/<c>version_before</c> compare with; Ballast follows 2.6.
    /// Must read as a version (<c>2.6</c>, <c>2.6.12</c>, <c>2.4-dev19</c>), or parsing throws <see cref="ArgumentException"/>.
    /// </summary>
    public string HaproxyVersion { get; init; } = "2.6";

    /// <summary>Build features that <c>feature(name)</c> finds present.</summary>
    public IReadOnlySet<string> Features { get; init; } = DebianHaproxy26Features;
}
