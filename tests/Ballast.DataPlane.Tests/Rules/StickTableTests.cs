using System.Net;
using Ballast.DataPlane.StickTables;
using Ballast.DataPlane.Tests.Infrastructure;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Rules;

public sealed class StickTableTests
{
    [Fact]
    public void FreqCounter_IsCurrentPlusWeightedPrevious()
    {
        var counter = default(FreqCounter);
        for (var i = 0; i < 10; i++)
        {
            counter.Add(1000, 1000);
        }

        Assert.Equal(10, counter.Read(1999, 1000));
        Assert.Equal(7, counter.Read(2300, 1000)); // 10 * 700/1000
        Assert.Equal(0, counter.Read(4000, 1000));
    }

    [Fact]
    public void Table_ExpiresEntries_AndStaysBoundedEvictingSoonestExpiring()
    {
        var time = new ManualTimeProvider();
        var table = new StickTable(new V1.StickTable { Type = V1.StickTableType.Ip, Size = 8, ExpireMs = 1000 }, time);
        var first = StickKey.From(IPAddress.Parse("10.0.0.1"));
        table.GetOrCreate(first, table.Now);
        Assert.NotNull(table.Find(first, table.Now));
        time.Advance(TimeSpan.FromMilliseconds(1001));
        Assert.Null(table.Find(first, table.Now));

        for (var i = 0; i < 50; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(1));
            table.GetOrCreate(StickKey.From(IPAddress.Parse($"10.0.1.{i}")), table.Now);
        }

        Assert.True(table.Count <= 8);
        Assert.NotNull(table.Find(StickKey.From(IPAddress.Parse("10.0.1.49")), table.Now));
        Assert.Null(table.Find(StickKey.From(IPAddress.Parse("10.0.1.0")), table.Now));
    }

    [Fact]
    public void Keys_FoldMappedIpv4_AndTruncateStrings()
    {
        Assert.Equal(StickKey.From(IPAddress.Parse("1.2.3.4")), StickKey.From(IPAddress.Parse("::ffff:1.2.3.4")));
        Assert.NotEqual(StickKey.From(IPAddress.Parse("1.2.3.4")), StickKey.From(IPAddress.Parse("::1")));
        Assert.Equal(StickKey.From(new string('k', 40)), StickKey.From(new string('k', 32)));
    }
}
