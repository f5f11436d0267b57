using System.Globalization;
using System.Reflection;

namespace Ballast.Proto.Grpc;

/// <summary>Header names and values of gRPC PROTOCOL-HTTP2.</summary>
internal static class GrpcProtocol
{
    public const string ContentType = "application/grpc";
    public const string StatusHeader = "grpc-status";
    public const string MessageHeader = "grpc-message";
    public const string TimeoutHeader = "grpc-timeout";
    public const string EncodingHeader = "grpc-encoding";
    public const string AcceptEncodingHeader = "grpc-accept-encoding";
    public const string AcceptedEncodings = "identity,gzip";

    /// <summary>Message prefix: 1 byte compressed flag + 4 bytes big-endian length.</summary>
    public const int HeaderSize = 5;

    /// <summary>Default maximum size of a received message: 4 MiB.</summary>
    public const int DefaultMaxReceiveMessageSize = 4 * 1024 * 1024;

    public static string UserAgent { get; } =
        "grpc-dotnet-ballast/" + (typeof(GrpcProtocol).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0");

    /// <summary>True for <c>application/grpc</c> and <c>application/grpc+proto</c> (parameters ignored).</summary>
    public static bool IsGrpcContentType(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType) || !contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = contentType.AsSpan(ContentType.Length);
        return rest.IsEmpty || rest[0] == ';' || rest.StartsWith("+proto", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Parses <c>grpc-timeout</c>: 1-8 ASCII digits then a unit (H hours, M minutes, S seconds, m millis, u micros,
    /// n nanos). Returns false when malformed.
    /// </summary>
    public static bool TryParseTimeout(string? value, out TimeSpan timeout)
    {
        timeout = default;
        if (value is null || value.Length < 2 || value.Length > 9)
        {
            return false;
        }

        if (!long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }

        long? ticks = value[^1] switch
        {
            'H' => amount * TimeSpan.TicksPerHour,
            'M' => amount * TimeSpan.TicksPerMinute,
            'S' => amount * TimeSpan.TicksPerSecond,
            'm' => amount * TimeSpan.TicksPerMillisecond,
            'u' => amount * 10,
            'n' => amount / 100,
            _ => null,
        };
        if (ticks is null)
        {
            return false;
        }

        timeout = TimeSpan.FromTicks(ticks.Value);
        return true;
    }

    /// <summary>Formats a positive timeout for <c>grpc-timeout</c>, rounding up, using the finest unit that fits 8 digits.</summary>
    public static string FormatTimeout(TimeSpan timeout)
    {
        const long maxAmount = 99_999_999;
        var millis = Math.Max(1, (long)Math.Ceiling(timeout.TotalMilliseconds));
        if (millis <= maxAmount)
        {
            return millis.ToString(CultureInfo.InvariantCulture) + "m";
        }

        var seconds = (long)Math.Ceiling(timeout.TotalSeconds);
        if (seconds <= maxAmount)
        {
            return seconds.ToString(CultureInfo.InvariantCulture) + "S";
        }

        var minutes = (long)Math.Ceiling(timeout.TotalMinutes);
        if (minutes <= maxAmount)
        {
            return minutes.ToString(CultureInfo.InvariantCulture) + "M";
        }

        return Math.Min(maxAmount, (long)Math.Ceiling(timeout.TotalHours)).ToString(CultureInfo.InvariantCulture) + "H";
    }

    /// <summary>Parses <c>grpc-status</c>; null when absent or not a number.</summary>
    public static StatusCode? ParseStatusCode(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? (StatusCode)code : null;

    public static string FormatStatusCode(StatusCode code) => ((int)code).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Maps a non-200 HTTP status to a gRPC code (gRPC doc/http-grpc-status-mapping.md).
    /// </summary>
    public static StatusCode FromHttpStatus(int httpStatus) => httpStatus switch
    {
        400 => StatusCode.Internal,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.Unimplemented,
        429 or 502 or 503 or 504 => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };
}
