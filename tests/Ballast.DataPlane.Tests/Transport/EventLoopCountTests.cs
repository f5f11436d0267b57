namespace Ballast.DataPlane.Tests.Transport;

public sealed class EventLoopCountTests
{
    [Theory]
    [InlineData("2", 2)]
    [InlineData("1", 1)]
    [InlineData("1000", 256)]
    public void LoopCount_FollowsTheSocketThreadCountVariable(string value, int expected) =>
        Assert.Equal(expected, NodeRuntimeTuning.LoopsFrom(value));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("two")]
    public void LoopCount_WithoutAPositiveNumber_IsHalfTheCores(string? value) =>
        Assert.Equal(Math.Max(1, Environment.ProcessorCount / 2), NodeRuntimeTuning.LoopsFrom(value));
}
