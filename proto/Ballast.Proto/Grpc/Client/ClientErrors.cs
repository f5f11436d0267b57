using System.Net.Http.Headers;

namespace Ballast.Proto.Grpc;

/// <summary>Maps client transport outcomes to gRPC statuses (gRPC PROTOCOL-HTTP2 "Errors") and reads status headers.</summary>
internal static class ClientErrors
{
    public static Status ToStatus(Exception exception, bool deadlineExpired, bool cancelled)
    {
        if (deadlineExpired)
        {
            return new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded");
        }

        if (cancelled)
        {
            return new Status(StatusCode.Cancelled, "Call canceled by the client.");
        }

        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is HttpProtocolException protocol)
            {
                return FromHttp2ErrorCode(protocol.ErrorCode, protocol.Message);
            }

            if (current is RpcException rpc)
            {
                return rpc.Status;
            }
        }

        return exception switch
        {
            HttpRequestException http => new Status(StatusCode.Unavailable, "Error connecting to the server: " + Describe(http)),
            // Not our cancellation (checked above): the transport gave up on the stream or connection.
            OperationCanceledException => new Status(StatusCode.Unavailable, "The HTTP/2 stream was aborted by the transport."),
            ObjectDisposedException => new Status(StatusCode.Cancelled, "The channel was disposed."),
            IOException io => new Status(StatusCode.Unavailable, "Error reading from the server: " + Describe(io)),
            _ => new Status(StatusCode.Internal, $"Error in the gRPC call: {exception.GetType().Name}: {exception.Message}"),
        };
    }

    /// <summary>HTTP/2 RST_STREAM / GOAWAY codes to gRPC codes, as listed in gRPC PROTOCOL-HTTP2 "Errors".</summary>
    public static Status FromHttp2ErrorCode(long errorCode, string message) => errorCode switch
    {
        0x7 => new Status(StatusCode.Unavailable, "Stream refused by the server: " + message),
        0x8 => new Status(StatusCode.Cancelled, "Stream reset by the server: " + message),
        0xB => new Status(StatusCode.ResourceExhausted, "Server says ENHANCE_YOUR_CALM: " + message),
        0xC => new Status(StatusCode.PermissionDenied, "Inadequate security: " + message),
        _ => new Status(StatusCode.Internal, $"HTTP/2 error 0x{errorCode:X}: " + message),
    };

    /// <summary>The status carried by <c>grpc-status</c>/<c>grpc-message</c> in <paramref name="headers"/>, or null.</summary>
    public static Status? TryGetStatus(HttpHeaders headers)
    {
        if (!headers.TryGetValues(GrpcProtocol.StatusHeader, out var statusValues))
        {
            return null;
        }

        var code = GrpcProtocol.ParseStatusCode(statusValues.FirstOrDefault());
        if (code is null)
        {
            return new Status(StatusCode.Unknown, "Invalid grpc-status: " + string.Join(",", statusValues));
        }

        var detail = headers.TryGetValues(GrpcProtocol.MessageHeader, out var messageValues)
            ? PercentEncoding.Decode(messageValues.FirstOrDefault() ?? string.Empty)
            : string.Empty;
        return new Status(code.Value, detail);
    }

    public static Metadata ReadMetadata(HttpHeaders headers)
    {
        var metadata = new Metadata();
        foreach (var header in headers.NonValidated)
        {
            foreach (var value in header.Value)
            {
                metadata.AddReceived(header.Key, value);
            }
        }

        return metadata;
    }

    private static string Describe(Exception exception) =>
        exception.InnerException is { } inner ? $"{exception.Message} ({inner.Message})" : exception.Message;
}
