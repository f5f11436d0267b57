using Ballast.DataPlane.Health;
using Ballast.DataPlane.Tests.Infrastructure;

namespace Ballast.DataPlane.Tests.Health;

public class ServerHealthTests
{
    private static readonly CheckResult Ok = new(CheckStatus.L7Ok, 200, TimeSpan.FromMilliseconds(3));
    private static readonly CheckResult Refused = new(CheckStatus.L4Connection, 0, TimeSpan.FromMilliseconds(1), "Connection refused");

    [Fact]
    public void NewServer_StartsUpWithInitStatus()
    {
        var health = new ServerHealth(new ManualTimeProvider(), 2, 3);

        Assert.True(health.IsUp);
        Assert.Equal(CheckStatus.Initializing, health.LastStatus);
        Assert.Equal("INI", health.LastStatus.ToHaproxyName());
        Assert.Equal(4, health.Health); // rise + fall - 1
    }

    [Fact]
    public void Report_FallConsecutiveFailures_MarksDown()
    {
        var changes = 0;
        var health = new ServerHealth(new ManualTimeProvider(), 2, 3, () => changes++);

        Assert.False(health.Report(Refused, 2, 3));
        Assert.False(health.Report(Refused, 2, 3));
        Assert.True(health.IsUp);
        Assert.True(health.Report(Refused, 2, 3));

        Assert.False(health.IsUp);
        Assert.Equal(0, health.Health);
        Assert.Equal(1, changes);
        Assert.Equal(1, health.DownTransitions);
        Assert.Equal(3, health.FailedChecks);
        Assert.Equal(CheckStatus.L4Connection, health.LastStatus);
    }

    [Fact]
    public void Report_RiseConsecutiveSuccesses_MarksUp()
    {
        var health = Down(rise: 2, fall: 3);

        Assert.False(health.Report(Ok, 2, 3));
        Assert.False(health.IsUp);
        Assert.True(health.Report(Ok, 2, 3));

        Assert.True(health.IsUp);
        Assert.Equal(4, health.Health);
        Assert.Equal(200, health.LastCode);
        Assert.Equal(3, health.LastDurationMs);
    }

    [Fact]
    public void Report_FailureWhileRising_StartsOver()
    {
        var health = Down(rise: 3, fall: 2);
        health.Report(Ok, 3, 2);
        health.Report(Ok, 3, 2);
        health.Report(Refused, 3, 2);

        health.Report(Ok, 3, 2);
        health.Report(Ok, 3, 2);
        Assert.False(health.IsUp);
        health.Report(Ok, 3, 2);
        Assert.True(health.IsUp);
    }

    [Fact]
    public void Report_SuccessBetweenFailures_RestoresFullHealth()
    {
        var health = new ServerHealth(new ManualTimeProvider(), 2, 3);
        health.Report(Refused, 2, 3);
        health.Report(Refused, 2, 3);
        health.Report(Ok, 2, 3);
        health.Report(Refused, 2, 3);
        health.Report(Refused, 2, 3);

        Assert.True(health.IsUp); // failures were not consecutive
        Assert.Equal(4, health.FailedChecks);
        Assert.Equal(0, health.DownTransitions);
    }

    [Fact]
    public void Report_FailuresWhileDown_NotCountedAsChkfail()
    {
        var health = Down(rise: 2, fall: 1);
        var failed = health.FailedChecks;

        health.Report(Refused, 2, 1);
        health.Report(Refused, 2, 1);

        Assert.Equal(failed, health.FailedChecks); // HAProxy counts failed_checks only while health > 0
    }

    [Fact]
    public void Report_Transition_UpdatesLastChange()
    {
        var time = new ManualTimeProvider();
        var health = new ServerHealth(time, 1, 1);
        var start = health.LastChangeUnixMs;
        time.Advance(TimeSpan.FromSeconds(30));

        health.Report(Refused, 1, 1);

        Assert.Equal(start + 30_000, health.LastChangeUnixMs);
    }

    [Fact]
    public void Report_FallReducedWhileUp_UsesNewSetting()
    {
        var health = new ServerHealth(new ManualTimeProvider(), 2, 5);

        Assert.True(health.Report(Refused, 2, 1));
        Assert.False(health.IsUp);
    }

    [Theory]
    [InlineData(CheckStatus.L4Ok, "L4OK", true)]
    [InlineData(CheckStatus.L4Timeout, "L4TOUT", false)]
    [InlineData(CheckStatus.L4Connection, "L4CON", false)]
    [InlineData(CheckStatus.L7Ok, "L7OK", true)]
    [InlineData(CheckStatus.L7Status, "L7STS", false)]
    [InlineData(CheckStatus.L7Timeout, "L7TOUT", false)]
    [InlineData(CheckStatus.L7Response, "L7RSP", false)]
    [InlineData(CheckStatus.SocketError, "SOCKERR", false)]
    [InlineData(CheckStatus.Initializing, "INI", false)]
    [InlineData(CheckStatus.Unknown, "UNK", false)]
    public void CheckStatus_HasHaproxyNames(object status, string name, bool success)
    {
        var value = (CheckStatus)status;
        Assert.Equal(name, value.ToHaproxyName());
        Assert.Equal(success, value.IsSuccess());
    }

    private static ServerHealth Down(int rise, int fall)
    {
        var health = new ServerHealth(new ManualTimeProvider(), rise, fall);
        for (var i = 0; i < fall; i++)
        {
            health.Report(Refused, rise, fall);
        }

        Assert.False(health.IsUp);
        return health;
    }
}
