namespace Ballast.DataPlane.Tests;

public class NodeOptionsTests
{
    [Fact]
    public void TryParseLabels_ParsesPairs()
    {
        Assert.True(NodeOptions.TryParseLabels(" zone = a , rack=r1,", out var labels, out _));
        Assert.Equal(2, labels.Count);
        Assert.Equal("a", labels["zone"]);
        Assert.Equal("r1", labels["rack"]);
    }

    [Fact]
    public void TryParseLabels_RejectsMissingKey()
    {
        Assert.False(NodeOptions.TryParseLabels("=a", out _, out var error));
        Assert.Contains("key=value", error);
    }
}
