namespace Ballast.HaproxyConfig.Import;

/// <summary>The reasons used in import findings, so that the same situation always reads the same.</summary>
internal static class Reasons
{
    /// <summary>Meaningful to HAProxy, not in ballast.v1 yet.</summary>
    public const string NotInModel = "unsupported: not in the Ballast model yet";

    /// <summary>Global process tuning (threads, limits, buffers): the Ballast node tunes itself.</summary>
    public const string ProcessTuning = "ignored: process-level tuning";

    /// <summary>
    /// A logging keyword outside the access-log settings the model holds (<c>log</c>, <c>option httplog|tcplog|dontlognull</c>,
    /// <c>log-format</c>).
    /// </summary>
    public const string Logging = "ignored: logging setting not in the Ballast model (it holds log, option httplog/tcplog/dontlognull and log-format)";

    /// <summary>Daemon, user, chroot, pid file, stats socket: how HAProxy runs, not what it does.</summary>
    public const string ProcessManagement = "ignored: process management";

    /// <summary><c>setenv</c> and the like: applied while reading the file.</summary>
    public const string EnvironmentDirective = "ignored: environment directive, applied while reading the file";

    /// <summary>Purely descriptive text.</summary>
    public const string Descriptive = "ignored: descriptive only";

    /// <summary>Servers disagree on inter/rise/fall; the model has one set per backend.</summary>
    public const string PerServerTiming = "unsupported: per-server check timing differs";

    /// <summary>More than 16 ports in one bind range.</summary>
    public const string PortRange = "unsupported: port range over 16 ports";

    /// <summary>A keyword HAProxy 2.6 ignores in this kind of section.</summary>
    public static string NoCapability(string keyword, string sectionType, string capability) =>
        $"ignored: HAProxy ignores '{keyword}' in a {sectionType}, which has no {capability} capability";

    /// <summary>A whole section type Ballast does not model.</summary>
    public static string SectionNotInModel(string sectionType) =>
        $"unsupported: '{sectionType}' sections are not in the Ballast model yet";
}
