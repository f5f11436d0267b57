using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace Ballast.Proto.Tests.TestSupport;

/// <summary>Plain HttpClient over h2c, to look at what our server puts on the wire (no gRPC logic).</summary>
public sealed class RawGrpcClient : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler()) { Timeout = TestTimeouts.Call };

    public async Task<RawResponse> PostAsync(
        Uri address, string path, byte[] body, string contentType = "application/grpc", IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (key, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(key, value);
        }

        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return new RawResponse(
            (int)response.StatusCode,
            response.Content.Headers.ContentType?.MediaType,
            Flatten(response.Headers),
            Flatten(response.TrailingHeaders),
            bytes);
    }

    public static byte[] Frame(IMessage message, byte flag = 0) => Frame(message.ToByteArray(), flag);

    public static byte[] Frame(byte[] payload, byte flag = 0)
    {
        var framed = new byte[5 + payload.Length];
        framed[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(framed, 5);
        return framed;
    }

    public void Dispose() => _client.Dispose();

    private static Dictionary<string, string> Flatten(HttpHeaders headers) =>
        headers.NonValidated.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value));
}

/// <summary>What came back: HTTP status, content type, headers, trailers, body bytes.</summary>
public sealed record RawResponse(int StatusCode, string? ContentType, Dictionary<string, string> Headers, Dictionary<string, string> Trailers, byte[] Body);
