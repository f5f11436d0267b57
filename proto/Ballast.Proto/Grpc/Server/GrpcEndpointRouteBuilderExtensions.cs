using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ballast.Proto.Grpc;

/// <summary>
/// Maps gRPC methods onto ASP.NET Core endpoint routing: <c>POST /package.Service/Method</c> with
/// <c>content-type: application/grpc[+proto]</c> over HTTP/2 (gRPC PROTOCOL-HTTP2). Kestrel must serve HTTP/2:
/// for cleartext (h2c) the endpoint must be <c>HttpProtocols.Http2</c> only, see
/// <see cref="GrpcKestrelExtensions.ListenGrpc(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions, System.Net.IPEndPoint, Action{Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions}?)"/>.
/// </summary>
public static class GrpcEndpointRouteBuilderExtensions
{
    /// <summary>Logger category of the server transport.</summary>
    public const string LoggerCategory = "Ballast.Proto.Grpc.Server";

    /// <summary>Maps a unary method: one request, one response.</summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="method">The method (its <c>Type</c> should be <see cref="MethodType.Unary"/>).</param>
    /// <param name="handler">Returns the response; throw <see cref="RpcException"/> to fail the call.</param>
    /// <returns>The endpoint, for conventions such as authorization.</returns>
    public static IEndpointConventionBuilder MapGrpcUnary<TRequest, TResponse>(
        this IEndpointRouteBuilder endpoints,
        Method<TRequest, TResponse> method,
        Func<TRequest, ServerCallContext, Task<TResponse>> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Map(endpoints, method, async (requests, responses, context) =>
        {
            var request = await requests.ReadSingleAsync().ConfigureAwait(false);
            var response = await handler(request, context).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The unary handler returned no response message.");
            await responses.WriteAsync(response).ConfigureAwait(false);
        });
    }

    /// <summary>Maps a server-streaming method: one request, a stream of responses.</summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="method">The method.</param>
    /// <param name="handler">Writes the responses; the call ends (status OK) when the returned task completes.</param>
    /// <returns>The endpoint, for conventions such as authorization.</returns>
    public static IEndpointConventionBuilder MapGrpcServerStreaming<TRequest, TResponse>(
        this IEndpointRouteBuilder endpoints,
        Method<TRequest, TResponse> method,
        Func<TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Map(endpoints, method, async (requests, responses, context) =>
        {
            var request = await requests.ReadSingleAsync().ConfigureAwait(false);
            await handler(request, responses, context).ConfigureAwait(false);
        });
    }

    /// <summary>Maps a client-streaming method: a stream of requests, one response.</summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="method">The method.</param>
    /// <param name="handler">Reads the requests and returns the response.</param>
    /// <returns>The endpoint, for conventions such as authorization.</returns>
    public static IEndpointConventionBuilder MapGrpcClientStreaming<TRequest, TResponse>(
        this IEndpointRouteBuilder endpoints,
        Method<TRequest, TResponse> method,
        Func<IAsyncStreamReader<TRequest>, ServerCallContext, Task<TResponse>> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Map(endpoints, method, async (requests, responses, context) =>
        {
            var response = await handler(requests, context).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The client-streaming handler returned no response message.");
            await responses.WriteAsync(response).ConfigureAwait(false);
        });
    }

    /// <summary>
    /// Maps a duplex (bidi) method: streams both ways. Response headers are sent before the handler first waits
    /// for a request message, so clients that wait for headers do not deadlock.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="method">The method.</param>
    /// <param name="handler">Reads requests and writes responses; the call ends when the returned task completes.</param>
    /// <returns>The endpoint, for conventions such as authorization.</returns>
    public static IEndpointConventionBuilder MapGrpcDuplexStreaming<TRequest, TResponse>(
        this IEndpointRouteBuilder endpoints,
        Method<TRequest, TResponse> method,
        Func<IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Map(endpoints, method, (requests, responses, context) => handler(requests, responses, context));
    }

    /// <summary>
    /// Answers gRPC requests to unmapped methods (any <c>POST /{service}/{method}</c> with a gRPC content-type)
    /// with status UNIMPLEMENTED as a Trailers-Only response; other requests get 404. Lowest route order, so
    /// mapped endpoints win.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <returns>The endpoint.</returns>
    public static IEndpointConventionBuilder MapGrpcUnimplementedFallback(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints
            .MapMethods("/{service}/{method}", [HttpMethods.Post], UnimplementedAsync)
            .WithOrder(int.MaxValue)
            .WithDisplayName("gRPC unimplemented fallback");
    }

    private static async Task UnimplementedAsync(HttpContext http)
    {
        if (!GrpcProtocol.IsGrpcContentType(http.Request.ContentType))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (!ServerRequestValidation.TryAccept(http))
        {
            return;
        }

        var status = new Status(StatusCode.Unimplemented, $"Method {http.Request.Path} is unimplemented.");
        await new ServerResponse(http.Response).TryCompleteAsync(status, new Metadata(), TimeSpan.FromSeconds(1)).ConfigureAwait(false);
    }

    private static IEndpointConventionBuilder Map<TRequest, TResponse>(
        IEndpointRouteBuilder endpoints, Method<TRequest, TResponse> method, ServerCallBody<TRequest, TResponse> body)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(method);
        var loggerFactory = endpoints.ServiceProvider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        var handler = new ServerCallHandler<TRequest, TResponse>(method, body, loggerFactory.CreateLogger(LoggerCategory));
        return endpoints
            .MapMethods(method.FullName, [HttpMethods.Post], handler.HandleAsync)
            .WithDisplayName("gRPC " + method.FullName);
    }
}
