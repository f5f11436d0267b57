using Ballast.Proto.Grpc;

namespace Ballast.Proto.Tests.Grpc.Internal;

public sealed class GrpcProtocolTests
{
    [Theory]
    [InlineData("1H", 3600_000)]
    [InlineData("2M", 120_000)]
    [InlineData("3S", 3000)]
    [InlineData("250m", 250)]
    [InlineData("1500u", 1.5)]
    [InlineData("2000000n", 2)]
    [InlineData("99999999m", 99_999_999)]
    public void TryParseTimeout_ReadsEveryUnit(string value, double expectedMs)
    {
        Assert.True(GrpcProtocol.TryParseTimeout(value, out var timeout));
        Assert.Equal(expectedMs, timeout.TotalMilliseconds, 3);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("m")]
    [InlineData("123456789m")]
    [InlineData("-5m")]
    [InlineData("5x")]
    [InlineData("1.5S")]
    public void TryParseTimeout_RejectsMalformedValues(string? value)
    {
        Assert.False(GrpcProtocol.TryParseTimeout(value, out _));
    }

    [Theory]
    [InlineData(1000, "1000m")]
    [InlineData(0.2, "1m")]
    [InlineData(200_000_000, "200000S")]
    public void FormatTimeout_UsesMillisecondsWhileTheyFitEightDigits(double ms, string expected)
    {
        Assert.Equal(expected, GrpcProtocol.FormatTimeout(TimeSpan.FromMilliseconds(ms)));
    }

    [Theory]
    [InlineData("application/grpc", true)]
    [InlineData("application/grpc+proto", true)]
    [InlineData("application/grpc; charset=utf-8", true)]
    [InlineData("application/grpc+json", false)]
    [InlineData("application/json", false)]
    [InlineData(null, false)]
    public void IsGrpcContentType_AcceptsGrpcAndProtoOnly(string? contentType, bool expected)
    {
        Assert.Equal(expected, GrpcProtocol.IsGrpcContentType(contentType));
    }

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("100%", "100%25")]
    [InlineData("a\nb", "a%0Ab")]
    [InlineData("é", "%C3%A9")]
    public void PercentEncoding_EncodesNonPrintableAndPercent(string value, string encoded)
    {
        Assert.Equal(encoded, PercentEncoding.Encode(value));
        Assert.Equal(value, PercentEncoding.Decode(encoded));
    }

    [Fact]
    public void PercentEncoding_DecodeKeepsMalformedEscapes()
    {
        Assert.Equal("50%zz%4", PercentEncoding.Decode("50%zz%4"));
    }

    [Theory]
    [InlineData(400, StatusCode.Internal)]
    [InlineData(401, StatusCode.Unauthenticated)]
    [InlineData(403, StatusCode.PermissionDenied)]
    [InlineData(404, StatusCode.Unimplemented)]
    [InlineData(503, StatusCode.Unavailable)]
    [InlineData(500, StatusCode.Unknown)]
    public void FromHttpStatus_FollowsTheSpecMapping(int http, StatusCode expected)
    {
        Assert.Equal(expected, GrpcProtocol.FromHttpStatus(http));
    }
}
