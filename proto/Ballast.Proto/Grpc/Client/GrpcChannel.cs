using Google.Protobuf;

namespace Ballast.Proto.Grpc;

/// <summary>
/// A client connection to one gRPC server (gRPC PROTOCOL-HTTP2 over HTTP/2, h2c for <c>http://</c>, TLS with
/// ALPN h2 for <c>https://</c>). Thread-safe; calls share its HTTP/2 connections. Create one per server and reuse it.
/// </summary>
public sealed class GrpcChannel : IDisposable
{
    private readonly HttpMessageInvoker _invoker;
    private readonly HttpMessageHandler _handler;
    private readonly bool _disposeHandler;
    private readonly string _baseAddress;
    private int _disposed;

    private GrpcChannel(Uri address, GrpcChannelOptions options)
    {
        Address = address;
        MaxReceiveMessageSize = options.MaxReceiveMessageSize;
        _handler = options.HttpHandler ?? CreateDefaultHandler();
        _disposeHandler = options.HttpHandler is null || options.DisposeHttpHandler;
        _invoker = new HttpMessageInvoker(_handler, disposeHandler: false);
        _baseAddress = address.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }

    /// <summary>The server's address, e.g. <c>http://127.0.0.1:5001</c>.</summary>
    public Uri Address { get; }

    /// <summary>Largest accepted response message in bytes.</summary>
    public int MaxReceiveMessageSize { get; }

    internal HttpMessageInvoker Invoker => _invoker;

    /// <summary>Creates a channel to <paramref name="address"/> (scheme <c>http</c> for h2c or <c>https</c>).</summary>
    /// <param name="address">Absolute http(s) address; a path, if any, prefixes method paths.</param>
    /// <param name="options">Options; null for defaults.</param>
    /// <returns>The channel; dispose it when done.</returns>
    public static GrpcChannel ForAddress(Uri address, GrpcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"Address must be an absolute http or https URI, got '{address}'.", nameof(address));
        }

        options ??= new GrpcChannelOptions();
        if (options.MaxReceiveMessageSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxReceiveMessageSize must be positive.");
        }

        return new GrpcChannel(address, options);
    }

    /// <summary>Creates a channel to <paramref name="address"/>, e.g. <c>"http://127.0.0.1:5001"</c>.</summary>
    /// <param name="address">Absolute http(s) address.</param>
    /// <param name="options">Options; null for defaults.</param>
    /// <returns>The channel; dispose it when done.</returns>
    public static GrpcChannel ForAddress(string address, GrpcChannelOptions? options = null) =>
        ForAddress(new Uri(address, UriKind.Absolute), options);

    /// <summary>Makes a unary call: one request, one response.</summary>
    /// <param name="method">The method.</param>
    /// <param name="request">The request message.</param>
    /// <param name="options">Metadata, deadline, cancellation.</param>
    /// <returns>The response; a non-OK status throws <see cref="RpcException"/>.</returns>
    public async Task<TResponse> UnaryAsync<TRequest, TResponse>(
        Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(request);
        using var call = Start(method, request, options);
        return await call.ReadSingleResponseAsync().ConfigureAwait(false);
    }

    /// <summary>Starts a unary call whose response headers, status and trailers stay readable (see <see cref="AsyncUnaryCall{TResponse}"/>).</summary>
    /// <param name="method">The method.</param>
    /// <param name="request">The request message.</param>
    /// <param name="options">Metadata, deadline, cancellation.</param>
    /// <returns>The call; await it (or <c>ResponseAsync</c>), dispose when done.</returns>
    public AsyncUnaryCall<TResponse> UnaryCall<TRequest, TResponse>(
        Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = Start(method, request, options);
        var response = call.ReadSingleResponseAsync();
        response.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
        return new AsyncUnaryCall<TResponse>(response, call);
    }

    /// <summary>Starts a server-streaming call: one request, a stream of responses.</summary>
    /// <param name="method">The method.</param>
    /// <param name="request">The request message.</param>
    /// <param name="options">Metadata, deadline, cancellation.</param>
    /// <returns>The call; read <c>ResponseStream</c>, dispose when done.</returns>
    public AsyncServerStreamingCall<TResponse> ServerStreaming<TRequest, TResponse>(
        Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = Start(method, request, options);
        return new AsyncServerStreamingCall<TResponse>(new ClientResponseStream<TRequest, TResponse>(call), call);
    }

    /// <summary>Starts a client-streaming call: a stream of requests, one response.</summary>
    /// <param name="method">The method.</param>
    /// <param name="options">Metadata, deadline, cancellation.</param>
    /// <returns>The call; write <c>RequestStream</c>, complete it, await <c>ResponseAsync</c>.</returns>
    public AsyncClientStreamingCall<TRequest, TResponse> ClientStreaming<TRequest, TResponse>(
        Method<TRequest, TResponse> method, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var call = Start(method, null, options);
        var response = call.ReadSingleResponseAsync();
        response.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
        return new AsyncClientStreamingCall<TRequest, TResponse>(new ClientRequestStream<TRequest, TResponse>(call), response, call);
    }

    /// <summary>Starts a duplex (bidi) call: streams both ways, independently.</summary>
    /// <param name="method">The method.</param>
    /// <param name="options">Metadata, deadline, cancellation.</param>
    /// <returns>The call; write <c>RequestStream</c>, read <c>ResponseStream</c>, dispose when done.</returns>
    public AsyncDuplexStreamingCall<TRequest, TResponse> DuplexStreaming<TRequest, TResponse>(
        Method<TRequest, TResponse> method, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var call = Start(method, null, options);
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(
            new ClientRequestStream<TRequest, TResponse>(call), new ClientResponseStream<TRequest, TResponse>(call), call);
    }

    /// <summary>Disposes the HTTP handler when the channel owns it. Running calls fail.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _invoker.Dispose();
        if (_disposeHandler)
        {
            _handler.Dispose();
        }
    }

    internal Uri GetMethodUri(string fullName) => new(_baseAddress + fullName, UriKind.Absolute);

    private ClientCall<TRequest, TResponse> Start<TRequest, TResponse>(
        Method<TRequest, TResponse> method, TRequest? request, CallOptions options)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(method);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        var call = new ClientCall<TRequest, TResponse>(this, method, options);
        call.Start(request);
        return call;
    }

    private static SocketsHttpHandler CreateDefaultHandler() => new()
    {
        EnableMultipleHttp2Connections = true,
        KeepAlivePingDelay = TimeSpan.FromSeconds(30),
        KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
        KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
    };
}
