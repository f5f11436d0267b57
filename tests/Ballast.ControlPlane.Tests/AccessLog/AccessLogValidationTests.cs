using Ballast.ControlPlane.Validation;
using Ballast.Proto.V1;

namespace Ballast.ControlPlane.Tests.AccessLog;

/// <summary>
/// Publish validation of the access-log fields mirrors the nodes' snapshot validation (dataplane
/// Logging/LogTargetSettings.TryParse and LogFormatTemplate.TryParse): each case here is one the node NACKs, and the
/// valid ones are ones it accepts.
/// </summary>
public sealed class AccessLogValidationTests
{
    private static Config With(Action<Frontend> change, Mode mode = Mode.Http)
    {
        var frontend = new Frontend { Name = "web", Mode = mode, DefaultBackend = "app", Binds = { new Bind { Address = "127.0.0.1", Port = 8080 } } };
        change(frontend);
        return new Config
        {
            Frontends = { frontend },
            Backends = { new Backend { Name = "app", Mode = mode, Servers = { new Server { Name = "s1", Address = "127.0.0.1", Port = 8081, Weight = 1 } } } },
        };
    }

    private static IReadOnlyList<string> Errors(Config config) => ConfigValidator.ValidateConfig(config).Select(e => e.ToString()).ToArray();

    [Theory]
    [InlineData("10.0.0.1", "local9", "", 0u, "frontend 'web': logs[0]: unknown facility 'local9'")]
    [InlineData("10.0.0.1", "local0", "loud", 0u, "frontend 'web': logs[0]: unknown level 'loud'")]
    [InlineData("10.0.0.1", "", "", 79u, "frontend 'web': logs[0]: invalid log length '79', must be between 80 and 65535")]
    [InlineData("", "", "", 0u, "frontend 'web': logs[0]: log target address is empty")]
    [InlineData("10.0.0.1:0", "", "", 0u, "frontend 'web': logs[0]: invalid log target port in '10.0.0.1:0'")]
    [InlineData("relative/file.log", "", "", 0u, "frontend 'web': logs[0]: invalid log target 'relative/file.log' (expected stdout, stderr, an absolute file path or host:port)")]
    public void Publish_RefusesLogTargetsTheNodeRefuses_NamingFieldAndIndex(string address, string facility, string level, uint len, string expected)
    {
        var config = With(f => f.Logs.Add(new LogTarget { Address = address, Facility = facility, Level = level, MaxLen = len }));
        Assert.Equal([expected], Errors(config));
    }

    [Theory]
    [InlineData("stdout")]
    [InlineData("stderr")]
    [InlineData("/var/log/ballast/access.log")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:514")]
    [InlineData("udp@syslog.example.com:1514")]
    [InlineData("udp4@10.0.0.1")]
    [InlineData("[::1]:514")]
    [InlineData("::1")]
    public void Publish_AcceptsEveryTargetFormTheNodeAccepts(string address) =>
        Assert.Empty(Errors(With(f => f.Logs.Add(new LogTarget { Address = address, Facility = "local0", Level = "info", MaxLen = 80 }))));

    [Theory]
    [InlineData("%[src]", "frontend 'web': logFormat: sample fetches (%[...]) are not supported (position 0)")]
    [InlineData("%ci %zz", "frontend 'web': logFormat: unknown variable '%zz'")]
    [InlineData("%{+Q r", "frontend 'web': logFormat: missing '}' at position 0")]
    public void Publish_RefusesLogFormatsTheNodeCannotCompile(string format, string expected) =>
        Assert.Equal([expected], Errors(With(f => f.LogFormat = format)));

    [Fact]
    public void Publish_RefusesHttplogInModeTcp_AndBothOptions()
    {
        Assert.Equal(["frontend 'web': optionHttplog: needs mode http (for mode tcp use optionTcplog)"], Errors(With(f => f.OptionHttplog = true, Mode.Tcp)));
        Assert.Empty(Errors(With(f => f.OptionTcplog = true, Mode.Tcp)));
        Assert.Empty(Errors(With(f => f.OptionTcplog = true)));
        Assert.Equal(["frontend 'web': optionTcplog: give optionHttplog or optionTcplog, not both"], Errors(With(f => (f.OptionHttplog, f.OptionTcplog) = (true, true))));
    }
}
