using Ballast.DataPlane.LoadBalancing;

namespace Ballast.DataPlane.Tests.LoadBalancing;

public class SmoothWeightedScheduleTests
{
    [Fact]
    public void Build_ReducesWeightsByGcd()
    {
        Assert.Equal([0, 1], SmoothWeightedSchedule.Build([256, 256]));
        Assert.Equal([0, 0, 1, 0], SmoothWeightedSchedule.Build([30, 10]));
    }

    [Fact]
    public void Build_LeavesOutZeroWeights()
    {
        Assert.Equal([0, 2, 0, 2], SmoothWeightedSchedule.Build([1, 0, 1]).Concat(SmoothWeightedSchedule.Build([1, 0, 1])).ToArray());
    }

    [Fact]
    public void Build_AllZero_IsEmpty()
    {
        Assert.Empty(SmoothWeightedSchedule.Build([0, 0]));
        Assert.Empty(SmoothWeightedSchedule.Build([]));
    }

    [Fact]
    public void Build_EachServerAppearsWeightTimes()
    {
        var order = SmoothWeightedSchedule.Build([7, 3, 5]);

        Assert.Equal(15, order.Length);
        Assert.Equal(7, order.Count(i => i == 0));
        Assert.Equal(3, order.Count(i => i == 1));
        Assert.Equal(5, order.Count(i => i == 2));
    }
}
