using System.Collections.Concurrent;
using Ballast.Proto.Grpc;
using Ballast.Proto.Tests.Echo;
using Google.Protobuf;
using Microsoft.AspNetCore.Routing;

namespace Ballast.Proto.Tests.TestSupport;

/// <summary>
/// The echo service on our server. Request headers starting with "x-" come back as response headers, the
/// trailer "x-trailer: done" (or "failed") ends every call; the server records what it saw per request text.
/// </summary>
public sealed class EchoService
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _outcomes = new();

    /// <summary>Completes with "cancelled" when the server saw the call's token fire, "completed" otherwise.</summary>
    public Task<string> OutcomeOf(string text) => Outcome(text).Task;

    public ConcurrentDictionary<string, DateTime?> Deadlines { get; } = new();

    public ConcurrentDictionary<string, string> Peers { get; } = new();

    public void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcUnary(EchoMethods.Unary, UnaryAsync);
        endpoints.MapGrpcServerStreaming(EchoMethods.ServerStream, ServerStreamAsync);
        endpoints.MapGrpcClientStreaming(EchoMethods.ClientStream, ClientStreamAsync);
        endpoints.MapGrpcDuplexStreaming(EchoMethods.Bidi, BidiAsync);
        endpoints.MapGrpcUnimplementedFallback();
    }

    private async Task<EchoReply> UnaryAsync(EchoRequest request, ServerCallContext context)
    {
        return await ObserveAsync(request.Text, context, async () =>
        {
            await EchoHeadersAsync(context);
            await DelayAsync(request, context);
            FailIfAsked(request, context);
            return new EchoReply { Text = request.Text, Payload = request.Payload };
        });
    }

    private async Task ServerStreamAsync(EchoRequest request, IServerStreamWriter<EchoReply> responses, ServerCallContext context)
    {
        await ObserveAsync(request.Text, context, async () =>
        {
            await EchoHeadersAsync(context);
            for (var i = 0; i < request.Count; i++)
            {
                await DelayAsync(request, context);
                await responses.WriteAsync(new EchoReply { Text = $"{request.Text}-{i}", Index = i, Payload = request.Payload });
            }

            FailIfAsked(request, context);
            return true;
        });
    }

    private async Task<EchoReply> ClientStreamAsync(IAsyncStreamReader<EchoRequest> requests, ServerCallContext context)
    {
        var texts = new List<string>();
        var key = context.RequestHeaders.GetValue("x-call-id") ?? "client-stream";
        return await ObserveAsync(key, context, async () =>
        {
            await foreach (var request in requests.ReadAllAsync(context.CancellationToken))
            {
                FailIfAsked(request, context);
                await DelayAsync(request, context);
                texts.Add(request.Text);
            }

            return new EchoReply { Text = string.Join(",", texts), Index = texts.Count };
        });
    }

    private async Task BidiAsync(IAsyncStreamReader<EchoRequest> requests, IServerStreamWriter<EchoReply> responses, ServerCallContext context)
    {
        var key = context.RequestHeaders.GetValue("x-call-id") ?? "bidi";
        await ObserveAsync(key, context, async () =>
        {
            var index = 0;
            while (await requests.MoveNext(context.CancellationToken))
            {
                var request = requests.Current;
                FailIfAsked(request, context);
                await DelayAsync(request, context);
                await responses.WriteAsync(new EchoReply { Text = request.Text, Index = index++, Payload = request.Payload });
            }

            return true;
        });
    }

    private async Task<T> ObserveAsync<T>(string key, ServerCallContext context, Func<Task<T>> body)
    {
        Deadlines[key] = context.Deadline;
        Peers[key] = context.Peer;
        var outcome = Outcome(key);
        using var registration = context.CancellationToken.Register(() => outcome.TrySetResult("cancelled"));
        try
        {
            var result = await body();
            context.ResponseTrailers.Add("x-trailer", "done");
            return result;
        }
        finally
        {
            outcome.TrySetResult(context.CancellationToken.IsCancellationRequested ? "cancelled" : "completed");
        }
    }

    private TaskCompletionSource<string> Outcome(string key) =>
        _outcomes.GetOrAdd(key, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));

    private static async Task EchoHeadersAsync(ServerCallContext context)
    {
        var echoed = new Metadata();
        foreach (var entry in context.RequestHeaders.Where(e => e.Key.StartsWith("x-", StringComparison.Ordinal)))
        {
            if (entry.IsBinary)
            {
                echoed.Add(entry.Key, entry.ValueBytes);
            }
            else
            {
                echoed.Add(entry.Key, entry.Value);
            }
        }

        if (echoed.Count > 0)
        {
            await context.WriteResponseHeadersAsync(echoed);
        }
    }

    private static Task DelayAsync(EchoRequest request, ServerCallContext context) =>
        request.DelayMs > 0 ? Task.Delay(request.DelayMs, context.CancellationToken) : Task.CompletedTask;

    private static void FailIfAsked(EchoRequest request, ServerCallContext context)
    {
        if (request.FailCode == 0)
        {
            return;
        }

        if (request.FailCode < 0)
        {
            throw new InvalidOperationException(request.FailMessage);
        }

        var trailers = new Metadata { { "x-trailer", "failed" }, { "x-error-bin", new byte[] { 0, 1, 2, 255 } } };
        throw new RpcException(new Status((StatusCode)request.FailCode, request.FailMessage), trailers);
    }
}
