using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Ballast.HaproxyConfig.Rules;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Logging;

/// <summary>
/// The one reader and writer of the HAProxy text of a frontend's <c>log</c> line (the words after <c>log</c>:
/// <c>&lt;target&gt; [len &lt;n&gt;] [format &lt;fmt&gt;] &lt;facility&gt; [&lt;level&gt;]</c>, manual 4.2 "log"), shared by
/// the admin API (<c>"logs":["127.0.0.1:514 len 1024 format rfc5424 local0 info"]</c>) and the haproxy.cfg
/// importer/exporter. It accepts what the Ballast nodes accept (their <c>LogTargetSettings</c>): targets
/// <c>stdout</c>, <c>stderr</c>, an absolute file path, <c>host[:port]</c>, <c>[v6]:port</c>, <c>udp@</c>/<c>udp4@</c>
/// prefixes; formats <c>rfc3164</c>, <c>rfc5424</c>, <c>raw</c>; HAProxy's facility and level names; <c>len</c>
/// 80-65535. Formatting gives text that reads back to an equal message.
/// </summary>
public static class HaproxyLog
{
    /// <summary>HAProxy's lowest <c>len</c>.</summary>
    public const uint MinLength = 80;

    /// <summary>HAProxy's highest <c>len</c>.</summary>
    public const uint MaxLength = 65535;

    private static readonly string[] HaproxyOnlyFormats = ["local", "priority", "short", "timed", "iso"];

    private static readonly string[] HaproxyOnlyPrefixes = ["unix@", "fd@", "ring@", "udp6@", "ipv4@", "ipv6@", "tcp@", "tcp4@", "tcp6@", "abns@"];

    /// <summary>Syslog facility names, in code order (kern = 0 .. local7 = 23).</summary>
    public static IReadOnlyList<string> Facilities { get; } =
    [
        "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "auth2", "ftp", "ntp",
        "audit", "alert", "cron2", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
    ];

    /// <summary>Syslog level names, in severity order (emerg = 0 .. debug = 7).</summary>
    public static IReadOnlyList<string> Levels { get; } = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"];

    /// <summary>Reads the words after <c>log</c> (not <c>log global</c>, which the caller resolves).</summary>
    /// <param name="words">The words, target first.</param>
    /// <param name="target">The target, when the words read.</param>
    /// <param name="error">Why not: message, index of the offending word, and whether HAProxy accepts the line.</param>
    public static bool TryParse(IReadOnlyList<string> words, [NotNullWhen(true)] out LogTarget? target, [NotNullWhen(false)] out LogParseError? error)
    {
        ArgumentNullException.ThrowIfNull(words);
        target = null;
        if (words.Count == 0 || words[0].Length == 0)
        {
            error = new("expects a target (stdout, stderr, a file path or host:port) and a facility", 0, false);
            return false;
        }

        if (AddressError(words[0]) is { } addressError)
        {
            error = addressError;
            return false;
        }

        var message = new LogTarget { Address = words[0] };
        var i = 1;
        for (; i < words.Count && words[i] is "len" or "format" or "sample"; i += 2)
        {
            if (i + 1 >= words.Count)
            {
                error = new($"'{words[i]}' expects a value", i, false);
                return false;
            }

            if (words[i] == "sample")
            {
                error = new("unsupported: 'sample' (log sampling) is not in the Ballast model", i, true);
                return false;
            }

            var optionError = words[i] == "len" ? LengthError(words[i + 1], i + 1, message) : FormatError(words[i + 1], i + 1, message);
            if (optionError is not null)
            {
                error = optionError;
                return false;
            }
        }

        if (i >= words.Count)
        {
            error = new("expects a facility after the target (e.g. local0)", i, false);
            return false;
        }

        if (!Facilities.Contains(words[i]))
        {
            error = new($"unknown facility '{words[i]}'", i, false);
            return false;
        }

        message.Facility = words[i++];
        if (i < words.Count)
        {
            if (!Levels.Contains(words[i]))
            {
                error = new($"unknown level '{words[i]}'", i, false);
                return false;
            }

            message.Level = words[i++];
        }

        if (i < words.Count)
        {
            error = Levels.Contains(words[i]) && i == words.Count - 1
                ? new("unsupported: a minimum level is not in the Ballast model", i, true)
                : new($"unexpected word '{words[i]}'", i, false);
            return false;
        }

        target = message;
        error = null;
        return true;
    }

    /// <summary>Reads the text of a <c>log</c> line without the keyword, e.g. <c>127.0.0.1:514 format rfc5424 local0 info</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="target">The target, when the text reads.</param>
    /// <param name="error">Why not.</param>
    public static bool TryParse(string text, [NotNullWhen(true)] out LogTarget? target, out string error)
    {
        if (!RuleWords.TrySplit(text ?? string.Empty, out var words, out var splitError))
        {
            target = null;
            error = splitError!;
            return false;
        }

        if (words is ["global", ..])
        {
            target = null;
            error = "'global' is a haproxy.cfg reference to the global section; give the targets themselves";
            return false;
        }

        var ok = TryParse(words, out target, out var parseError);
        error = parseError?.Message ?? string.Empty;
        return ok;
    }

    /// <summary>The text of <paramref name="target"/> without <c>log</c>; an empty facility is written as <c>local0</c>.</summary>
    /// <param name="target">The target.</param>
    public static string Format(LogTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var words = new List<string> { target.Address };
        if (target.MaxLen > 0)
        {
            words.AddRange(["len", target.MaxLen.ToString(CultureInfo.InvariantCulture)]);
        }

        if (target.Format != LogFormat.Rfc3164)
        {
            words.AddRange(["format", FormatWord(target.Format)]);
        }

        words.Add(target.Facility.Length == 0 ? "local0" : target.Facility);
        if (target.Level.Length > 0)
        {
            words.Add(target.Level);
        }

        return RuleWords.Join(words);
    }

    /// <summary>The HAProxy word of a syslog header format.</summary>
    /// <param name="format">The format.</param>
    public static string FormatWord(LogFormat format) => format switch
    {
        LogFormat.Rfc5424 => "rfc5424",
        LogFormat.Raw => "raw",
        LogFormat.Rfc3164 => "rfc3164",
        _ => ((int)format).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Checks a target message as the nodes do (their snapshot validation), plus HAProxy's <c>len</c> ceiling;
    /// null when valid. Empty facility and level mean local0 and info; <c>max_len</c> 0 means 1024.
    /// </summary>
    /// <param name="target">The target.</param>
    public static string? Check(LogTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Facility.Length > 0 && !Facilities.Contains(target.Facility))
        {
            return $"unknown facility '{target.Facility}'";
        }

        if (target.Level.Length > 0 && !Levels.Contains(target.Level))
        {
            return $"unknown level '{target.Level}'";
        }

        if (!Enum.IsDefined(target.Format))
        {
            return $"unknown format {(int)target.Format}";
        }

        if (target.MaxLen != 0 && target.MaxLen is < MinLength or > MaxLength)
        {
            return $"invalid log length '{target.MaxLen}', must be between {MinLength} and {MaxLength}";
        }

        return AddressError(target.Address)?.Message;
    }

    /// <summary>Whether the address is a file path (an absolute path; HAProxy reads such a path as a UNIX socket).</summary>
    /// <param name="address">The target address.</param>
    public static bool IsFile(string address) => address.StartsWith('/');

    private static LogParseError? LengthError(string word, int index, LogTarget message)
    {
        if (!uint.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length is < MinLength or > MaxLength)
        {
            return new($"invalid log length '{word}', must be between {MinLength} and {MaxLength}", index, false);
        }

        message.MaxLen = length;
        return null;
    }

    private static LogParseError? FormatError(string word, int index, LogTarget message)
    {
        switch (word)
        {
            case "rfc3164":
                message.Format = LogFormat.Rfc3164;
                return null;
            case "rfc5424":
                message.Format = LogFormat.Rfc5424;
                return null;
            case "raw":
                message.Format = LogFormat.Raw;
                return null;
            default:
                return HaproxyOnlyFormats.Contains(word)
                    ? new($"unsupported: log format '{word}' is not in the Ballast model (rfc3164, rfc5424 or raw)", index, true)
                    : new($"unknown log format '{word}' (expected rfc3164, rfc5424 or raw)", index, false);
        }
    }

    private static LogParseError? AddressError(string address)
    {
        if (address.Length == 0)
        {
            return new("log target address is empty", 0, false);
        }

        if (address is "stdout" or "stderr" || IsFile(address))
        {
            return null;
        }

        if (HaproxyOnlyPrefixes.FirstOrDefault(p => address.StartsWith(p, StringComparison.Ordinal)) is { } prefix)
        {
            return new($"unsupported: '{prefix}' log targets are not in the Ballast model (stdout, stderr, a file or UDP syslog)", 0, true);
        }

        return LogAddress.HostPortError(address) is { } error ? new(error, 0, false) : null;
    }
}
