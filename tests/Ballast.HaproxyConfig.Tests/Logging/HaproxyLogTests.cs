using Ballast.HaproxyConfig.Logging;
using Ballast.Proto.V1;

namespace Ballast.HaproxyConfig.Tests.Logging;

/// <summary>The shared reader/writer of <c>log</c> line text (admin API and haproxy.cfg).</summary>
public sealed class HaproxyLogTests
{
    [Theory]
    [InlineData("127.0.0.1:514 len 1024 format rfc5424 local0 info", "127.0.0.1:514", 1024u, LogFormat.Rfc5424, "local0", "info")]
    [InlineData("stdout format raw daemon", "stdout", 0u, LogFormat.Raw, "daemon", "")]
    [InlineData("stderr local7 debug", "stderr", 0u, LogFormat.Rfc3164, "local7", "debug")]
    [InlineData("/var/log/ballast/access.log local1", "/var/log/ballast/access.log", 0u, LogFormat.Rfc3164, "local1", "")]
    [InlineData("udp@syslog.example.com:1514 format rfc3164 len 80 user err", "udp@syslog.example.com:1514", 80u, LogFormat.Rfc3164, "user", "err")]
    [InlineData("[::1]:514 kern", "[::1]:514", 0u, LogFormat.Rfc3164, "kern", "")]
    [InlineData("10.0.0.1 len 65535 cron2", "10.0.0.1", 65535u, LogFormat.Rfc3164, "cron2", "")]
    public void Reads_haproxy_log_lines(string text, string address, uint len, LogFormat format, string facility, string level)
    {
        Assert.True(HaproxyLog.TryParse(text, out var target, out var error), error);
        Assert.Equal((address, len, format, facility, level), (target.Address, target.MaxLen, target.Format, target.Facility, target.Level));
        Assert.True(HaproxyLog.TryParse(HaproxyLog.Format(target), out var again, out _));
        Assert.Equal(target, again);
    }

    [Fact]
    public void Formats_in_haproxy_order_with_defaults_left_out()
    {
        Assert.True(HaproxyLog.TryParse("127.0.0.1:514   format rfc5424 len 1024 local0 info", out var target, out _));
        Assert.Equal("127.0.0.1:514 len 1024 format rfc5424 local0 info", HaproxyLog.Format(target));
        Assert.Equal("stdout local0", HaproxyLog.Format(new LogTarget { Address = "stdout" }));
    }

    [Theory]
    [InlineData("127.0.0.1 local9", "unknown facility 'local9'", 1, false)]
    [InlineData("127.0.0.1 local0 verbose", "unknown level 'verbose'", 2, false)]
    [InlineData("127.0.0.1 len 79 local0", "invalid log length '79', must be between 80 and 65535", 2, false)]
    [InlineData("127.0.0.1 len 65536 local0", "invalid log length '65536', must be between 80 and 65535", 2, false)]
    [InlineData("127.0.0.1 format json local0", "unknown log format 'json' (expected rfc3164, rfc5424 or raw)", 2, false)]
    [InlineData("127.0.0.1 format short local0", "unsupported: log format 'short'", 2, true)]
    [InlineData("127.0.0.1 sample 1:2 local0", "unsupported: 'sample'", 1, true)]
    [InlineData("127.0.0.1 local0 info notice", "unsupported: a minimum level", 3, true)]
    [InlineData("127.0.0.1", "expects a facility", 1, false)]
    [InlineData("127.0.0.1:99999 local0", "invalid log target port in '127.0.0.1:99999'", 0, false)]
    [InlineData("bad_host! local0", "invalid log target 'bad_host!'", 0, false)]
    [InlineData("ring@buf local0", "unsupported: 'ring@' log targets", 0, true)]
    [InlineData("127.0.0.1 local0 info extra words", "unexpected word 'extra'", 3, false)]
    public void Refuses_what_the_nodes_refuse_naming_the_word(string text, string message, int wordIndex, bool unsupported)
    {
        Assert.False(HaproxyLog.TryParse(text.Split(' '), out _, out var error));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Equal((wordIndex, unsupported), (error.WordIndex, error.Unsupported));
    }

    [Fact]
    public void Log_global_is_not_a_target_in_api_text()
    {
        Assert.False(HaproxyLog.TryParse("global", out _, out var error));
        Assert.Contains("global section", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs %{+Q}r", null)]
    [InlineData("100%% %ci", null)]
    [InlineData("%o %t", "unknown variable '%o'")]
    [InlineData("%[src]", "sample fetches (%[...]) are not supported (position 0)")]
    [InlineData("%{+Q r", "missing '}' at position 0")]
    [InlineData("x %", "missing variable name at position 2")]
    public void Log_format_is_checked_as_the_nodes_compile_it(string format, string? error) =>
        Assert.Equal(error, LogFormatCheck.Error(format));
}
