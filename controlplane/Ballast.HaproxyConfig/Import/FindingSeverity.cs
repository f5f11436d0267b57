namespace Ballast.HaproxyConfig.Import;

/// <summary>Why a line (or part of one) of a haproxy.cfg did not make it into the Ballast model unchanged.</summary>
public enum FindingSeverity
{
    /// <summary>Meaningful to HAProxy but not in the Ballast model yet: behaviour will differ.</summary>
    Unsupported,

    /// <summary>Deliberately left out with no effect on traffic handling (process tuning, logging, messages).</summary>
    Ignored,

    /// <summary>Imported, but worth a look (e.g. a trailing backslash, a frontend without binds).</summary>
    Warning,

    /// <summary>HAProxy would refuse it (syntax or reference error); the import must not be applied.</summary>
    Error,
}
