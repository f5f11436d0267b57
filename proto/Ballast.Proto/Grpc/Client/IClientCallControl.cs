namespace Ballast.Proto.Grpc;

/// <summary>The type-independent side of a client call, shared by the public call objects.</summary>
internal interface IClientCallControl : IDisposable
{
    Task<Metadata> ResponseHeadersAsync { get; }

    Status GetStatus();

    Metadata GetTrailers();
}
