using System.Text.Json;
using Ballast.ControlPlane.Model;

namespace Ballast.ControlPlane.Api;

/// <summary>
/// Turns request-binding failures (bad JSON, wrong types, unknown enum words, missing body) into
/// 400 <see cref="ErrorResponse"/>s naming the field, instead of an empty 400.
/// </summary>
internal sealed class BadRequestMiddleware(RequestDelegate next)
{
    /// <summary>Runs the rest of the pipeline and maps <see cref="BadHttpRequestException"/>.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            context.Response.StatusCode = ex.StatusCode;
            await context.Response.WriteAsJsonAsync(Describe(ex), context.RequestAborted);
        }
    }

    /// <summary>The error for a binding failure: the JSON path as field, the reader's message.</summary>
    public static ErrorResponse Describe(BadHttpRequestException ex)
    {
        for (Exception? inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException json)
            {
                var field = json.Path is null or "$" ? "body" : json.Path.StartsWith("$.", StringComparison.Ordinal) ? json.Path[2..] : json.Path.TrimStart('$');
                return ErrorResponse.One("request body", field, Friendly(json.Message));
            }
        }

        return ErrorResponse.One("request", "body", ex.Message);
    }

    // System.Text.Json's "could not be converted to System.Nullable`1[System.UInt32]. Path: ..." in API terms.
    private static string Friendly(string message)
    {
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        message = cut > 0 ? message[..cut] : message;
        const string marker = "could not be converted to ";
        var at = message.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return message;
        }

        var type = message[(at + marker.Length)..].TrimEnd('.').Replace("System.Nullable`1[", string.Empty, StringComparison.Ordinal).TrimEnd(']');
        if (HaproxyWords.WordsOf(type) is { } words)
        {
            return $"must be one of: {string.Join(", ", words)}";
        }

        return type switch
        {
            "System.UInt32" or "System.UInt64" => "must be a whole number of 0 or more",
            "System.Int32" or "System.Int64" => "must be a whole number",
            "System.Boolean" => "must be true or false",
            "System.String" => "must be a string",
            var other when other.StartsWith("System.Collections", StringComparison.Ordinal) || other.EndsWith("[]", StringComparison.Ordinal) => "must be an array",
            _ => "must be an object of the documented shape",
        };
    }
}
