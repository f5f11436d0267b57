using Ballast.ControlPlane.Validation;

namespace Ballast.ControlPlane.Tests.Validation;

public sealed class BindAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:8080", "127.0.0.1", 8080u, "127.0.0.1:8080")]
    [InlineData("[::1]:443", "::1", 443u, "[::1]:443")]
    [InlineData("*:80", "*", 80u, "*:80")]
    [InlineData(":80", "*", 80u, "*:80")]
    [InlineData("0.0.0.0:81", "0.0.0.0", 81u, "0.0.0.0:81")]
    public void ValidBind_ParsesAndFormatsBack(string text, string address, uint port, string formatted)
    {
        Assert.True(BindAddress.TryParse(text, out var bind, out var error), error);
        Assert.Equal((address, port), (bind.Address, bind.Port));
        Assert.Equal(formatted, BindAddress.Format(bind));
    }

    [Theory]
    [InlineData("8080", "must be <address>:<port>")]
    [InlineData("127.0.0.1:0", "port must be 1-65535")]
    [InlineData("127.0.0.1:65536", "port must be 1-65535")]
    [InlineData("127.0.0.1:http", "port must be 1-65535")]
    [InlineData("example.com:80", "address must be an IP literal")]
    [InlineData("::1:80", "IPv6 addresses must be in brackets")]
    [InlineData("[nope]:80", "is not an IPv6 address")]
    public void InvalidBind_SaysWhy(string text, string reason)
    {
        Assert.False(BindAddress.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
        Assert.Contains(text, error);
    }
}
