using Ballast.ControlPlane.Hosting;

namespace Ballast.ControlPlane.Tests.Hosting;

public sealed class ListenUrlTests
{
    [Theory]
    [InlineData("http://127.0.0.1:9090", "127.0.0.1", 9090, "http://127.0.0.1:9090")]
    [InlineData("http://localhost:9090", "localhost", 9090, "http://localhost:9090")]
    [InlineData("http://*:9091", "*", 9091, "http://localhost:9091")]
    [InlineData("http://[::1]:9091", "::1", 9091, "http://[::1]:9091")]
    public void Parse_AcceptsHttpAddresses(string text, string host, int port, string shown)
    {
        var url = ListenUrl.Parse(text, "--urls");
        Assert.Equal((host, port), (url.Host, url.Port));
        Assert.Equal(shown, url.ToUrl(port));
    }

    [Theory]
    [InlineData("https://127.0.0.1:9090")]
    [InlineData("http://example.com:9090")]
    [InlineData("127.0.0.1:9090")]
    [InlineData("http://127.0.0.1:9090/path")]
    public void Parse_RejectsOtherForms_NamingTheOption(string text)
    {
        var error = Assert.Throws<FormatException>(() => ListenUrl.Parse(text, "--node-urls"));
        Assert.StartsWith("--node-urls:", error.Message);
    }

    [Fact]
    public void ParseList_SplitsOnSemicolons() =>
        Assert.Equal(2, ListenUrl.ParseList("http://127.0.0.1:1; http://127.0.0.1:2", "--urls").Count);
}
