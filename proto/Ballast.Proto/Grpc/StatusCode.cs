namespace Ballast.Proto.Grpc;

/// <summary>gRPC status codes, numbered as in grpc/grpc doc/statuscodes.md.</summary>
public enum StatusCode
{
    /// <summary>Not an error.</summary>
    OK = 0,
    /// <summary>The operation was cancelled, typically by the caller.</summary>
    Cancelled = 1,
    /// <summary>Unknown error.</summary>
    Unknown = 2,
    /// <summary>The client specified an invalid argument.</summary>
    InvalidArgument = 3,
    /// <summary>The deadline expired before the operation could complete.</summary>
    DeadlineExceeded = 4,
    /// <summary>Some requested entity was not found.</summary>
    NotFound = 5,
    /// <summary>The entity a client attempted to create already exists.</summary>
    AlreadyExists = 6,
    /// <summary>The caller does not have permission.</summary>
    PermissionDenied = 7,
    /// <summary>Some resource has been exhausted.</summary>
    ResourceExhausted = 8,
    /// <summary>The system is not in a state required for the operation.</summary>
    FailedPrecondition = 9,
    /// <summary>The operation was aborted.</summary>
    Aborted = 10,
    /// <summary>The operation was attempted past the valid range.</summary>
    OutOfRange = 11,
    /// <summary>The operation is not implemented or supported.</summary>
    Unimplemented = 12,
    /// <summary>Internal error.</summary>
    Internal = 13,
    /// <summary>The service is currently unavailable.</summary>
    Unavailable = 14,
    /// <summary>Unrecoverable data loss or corruption.</summary>
    DataLoss = 15,
    /// <summary>The request lacks valid authentication credentials.</summary>
    Unauthenticated = 16,
}

/// <summary>A gRPC call outcome: status code and human-readable detail (the <c>grpc-message</c> trailer).</summary>
/// <param name="Code">The status code.</param>
/// <param name="Detail">Detail message; empty when none.</param>
public readonly record struct Status(StatusCode Code, string Detail)
{
    /// <summary>The OK status with no detail.</summary>
    public static Status Ok => new(StatusCode.OK, string.Empty);

    /// <inheritdoc />
    public override string ToString() => $"Status(StatusCode=\"{Code}\", Detail=\"{Detail}\")";
}
