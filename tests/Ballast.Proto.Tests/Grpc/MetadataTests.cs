using Ballast.Proto.Grpc;

namespace Ballast.Proto.Tests.Grpc;

public sealed class MetadataTests
{
    [Fact]
    public void Add_LowerCasesKeys_AndGetValueReturnsTheLastEntry()
    {
        var metadata = new Metadata { { "X-Key", "one" }, { "x-key", "two" } };
        Assert.Equal("two", metadata.GetValue("X-KEY"));
        Assert.Equal(["one", "two"], metadata.GetAll("x-key").Select(e => e.Value));
        Assert.All(metadata, e => Assert.Equal("x-key", e.Key));
    }

    [Theory]
    [InlineData("grpc-status")]
    [InlineData("grpc-custom")]
    [InlineData("content-type")]
    [InlineData("te")]
    [InlineData(":path")]
    [InlineData("bad key")]
    [InlineData("")]
    public void Add_RejectsReservedOrInvalidKeys(string key)
    {
        Assert.ThrowsAny<ArgumentException>(() => new Metadata().Add(key, "v"));
    }

    [Fact]
    public void Add_TextValueOnBinaryKey_OrBytesOnTextKey_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Metadata().Add("x-bin", "text"));
        Assert.Throws<ArgumentException>(() => new Metadata().Add("x-text", new byte[] { 1 }));
    }

    [Fact]
    public void Add_NonAsciiText_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Metadata().Add("x-text", "é"));
    }

    [Fact]
    public void BinaryEntry_ExposesBytesAndUnpaddedBase64()
    {
        var metadata = new Metadata { { "x-data-bin", new byte[] { 1, 2, 3, 4 } } };
        var entry = Assert.Single(metadata);
        Assert.True(entry.IsBinary);
        Assert.Equal("AQIDBA", entry.Value);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, metadata.GetValueBytes("x-data-bin"));
    }

    [Theory]
    [InlineData("AQIDBA")]
    [InlineData("AQIDBA==")]
    public void AddReceived_AcceptsPaddedAndUnpaddedBase64(string wire)
    {
        var metadata = new Metadata();
        Assert.True(metadata.AddReceived("x-data-bin", wire));
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, metadata.GetValueBytes("x-data-bin"));
    }

    [Fact]
    public void AddReceived_SplitsCommaSeparatedBinaryValues()
    {
        var metadata = new Metadata();
        metadata.AddReceived("x-data-bin", "AQ,Ag==");
        Assert.Equal([[1], [2]], metadata.GetAll("x-data-bin").Select(e => e.ValueBytes));
    }

    [Fact]
    public void AddReceived_SkipsReservedHeaders()
    {
        var metadata = new Metadata();
        metadata.AddReceived("grpc-status", "0");
        metadata.AddReceived("content-type", "application/grpc");
        metadata.AddReceived("x-ok", "1");
        Assert.Equal(["x-ok"], metadata.Select(e => e.Key));
    }

    [Fact]
    public void AddReceived_MalformedBase64_IsRejected()
    {
        Assert.False(new Metadata().AddReceived("x-data-bin", "***"));
    }
}
