using System.Text;
using Ballast.DataPlane.LoadBalancing.Hashing;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.LoadBalancing.Hashing;

public class HaproxyHashTests
{
    private static byte[] Bytes(string text) => Encoding.ASCII.GetBytes(text);

    [Fact]
    public void Crc32_MatchesTheStandardCheckValue()
    {
        Assert.Equal(0xCBF43926u, HaproxyHash.Crc32(Bytes("123456789")));
        Assert.Equal(0u, HaproxyHash.Crc32([]));
    }

    [Fact]
    public void Sdbm_AndDjb2_FollowTheirRecurrences()
    {
        Assert.Equal(0u, HaproxyHash.Sdbm([]));
        Assert.Equal((uint)'a', HaproxyHash.Sdbm(Bytes("a")));
        Assert.Equal(unchecked('b' + ((uint)'a' << 6) + ((uint)'a' << 16) - 'a'), HaproxyHash.Sdbm(Bytes("ab")));
        Assert.Equal(5381u, HaproxyHash.Djb2([]));
        Assert.Equal((5381u * 33) + 'a', HaproxyHash.Djb2(Bytes("a")));
    }

    [Fact]
    public void Wt6_IsDeterministicAndSpreadsSimilarKeys()
    {
        Assert.Equal(0xa53c965au ^ 0x5ca6953au, HaproxyHash.Wt6([]));
        Assert.Equal(HaproxyHash.Wt6(Bytes("key-1")), HaproxyHash.Wt6(Bytes("key-1")));
        Assert.NotEqual(HaproxyHash.Wt6(Bytes("key-1")), HaproxyHash.Wt6(Bytes("key-2")));
    }

    [Fact]
    public void FullHash_IsJenkinsAvalancheTimesPrime()
    {
        Assert.Equal(HaproxyHash.FullHash(1), HaproxyHash.FullHash(1));
        Assert.NotEqual(HaproxyHash.FullHash(1), HaproxyHash.FullHash(2));

        // a = 0 through the six Jenkins steps, then * 3221225473 (mod 2^32), computed independently.
        uint a = 0;
        a = unchecked(a + 0x7ed55d16 + (a << 12));
        a = (a ^ 0xc761c23c) ^ (a >> 19);
        a = unchecked(a + 0x165667b1 + (a << 5));
        a = unchecked((a + 0xd3a2646c) ^ (a << 9));
        a = unchecked(a + 0xfd7046c5 + (a << 3));
        a = (a ^ 0xb55a4f09) ^ (a >> 16);
        Assert.Equal(unchecked(a * 3221225473u), HaproxyHash.FullHash(0));
    }

    [Theory]
    [InlineData("12345", 12345u)]
    [InlineData("42abc", 42u)]
    [InlineData("+7", 7u)]
    [InlineData("-1", uint.MaxValue)]
    [InlineData("abc", 0u)]
    [InlineData("", 0u)]
    [InlineData("4294967296", 0u)] // 2^32 truncated to 32 bits
    [InlineData("99999999999999999999999", 0xffffffffu)] // saturates at LLONG_MAX, whose low 32 bits are all ones
    public void None_ReadsTheKeyAsADecimalInteger(string key, uint expected)
    {
        Assert.Equal(expected, HaproxyHash.ReadInt(Bytes(key)));
    }

    [Fact]
    public void Compute_AppliesTheFunctionThenAvalanche()
    {
        var key = Bytes("/some/path");
        Assert.Equal(HaproxyHash.Sdbm(key), HaproxyHash.Compute(V1.HashFunction.Sdbm, false, key));
        Assert.Equal(HaproxyHash.Sdbm(key), HaproxyHash.Compute(V1.HashFunction.Default, false, key));
        Assert.Equal(HaproxyHash.FullHash(HaproxyHash.Djb2(key)), HaproxyHash.Compute(V1.HashFunction.Djb2, true, key));
        Assert.Equal(HaproxyHash.Crc32(key), HaproxyHash.Compute(V1.HashFunction.Crc32, false, key));
        Assert.Equal(HaproxyHash.Wt6(key), HaproxyHash.Compute(V1.HashFunction.Wt6, false, key));
    }
}
