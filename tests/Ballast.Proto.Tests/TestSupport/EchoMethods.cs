using Ballast.Proto.Grpc;
using Ballast.Proto.Tests.Echo;

namespace Ballast.Proto.Tests.TestSupport;

/// <summary>Method descriptions of ballast.test.v1.EchoService.</summary>
public static class EchoMethods
{
    public const string ServiceName = "ballast.test.v1.EchoService";

    public static readonly Method<EchoRequest, EchoReply> Unary = new(MethodType.Unary, ServiceName, "Unary");
    public static readonly Method<EchoRequest, EchoReply> ServerStream = new(MethodType.ServerStreaming, ServiceName, "ServerStream");
    public static readonly Method<EchoRequest, EchoReply> ClientStream = new(MethodType.ClientStreaming, ServiceName, "ClientStream");
    public static readonly Method<EchoRequest, EchoReply> Bidi = new(MethodType.DuplexStreaming, ServiceName, "Bidi");
    public static readonly Method<EchoRequest, EchoReply> Missing = new(MethodType.Unary, ServiceName, "Missing");
}
