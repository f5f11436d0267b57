namespace Ballast.Proto.Grpc;

/// <summary>Base64 as used by <c>-bin</c> metadata: emit unpadded, accept padded and unpadded (gRPC PROTOCOL-HTTP2).</summary>
internal static class Base64
{
    public static string EncodeUnpadded(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    /// <summary>Decodes one value; throws <see cref="FormatException"/> when it is not base64.</summary>
    public static byte[] Decode(string value)
    {
        var trimmed = value.Trim();
        var padding = (4 - (trimmed.Length % 4)) % 4;
        return Convert.FromBase64String(padding == 0 ? trimmed : trimmed + new string('=', padding));
    }
}
