using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Text;
using Ballast.DataPlane.Logging;
using Ballast.DataPlane.Stats;
using Microsoft.AspNetCore.Http;
using V1 = Ballast.Proto.V1;

namespace Ballast.DataPlane.Tests.Logging;

public class HeaderCaptureTests
{
    private static V1.Frontend Frontend()
    {
        var frontend = new V1.Frontend { Name = "web", Mode = V1.Mode.Http };
        frontend.Logs.Add(new V1.LogTarget { Address = "stdout" });
        frontend.CaptureRequestHeaders.Add(new V1.HeaderCapture { Name = "Host", Len = 32 });
        frontend.CaptureRequestHeaders.Add(new V1.HeaderCapture { Name = "X-Missing", Len = 8 });
        frontend.CaptureRequestHeaders.Add(new V1.HeaderCapture { Name = "User-Agent", Len = 5 });
        frontend.CaptureResponseHeaders.Add(new V1.HeaderCapture { Name = "Content-Type", Len = 64 });
        frontend.CaptureResponseHeaders.Add(new V1.HeaderCapture { Name = "X-Tag", Len = 16 });
        return frontend;
    }

    [Fact]
    public void HttpLog_WithCaptures_PrintsThemBetweenQueuesAndRequestAsHaproxy()
    {
        var settings = AccessLogSettings.Create(Frontend())!;
        var headers = new HeaderDictionary { ["Host"] = "example.com", ["User-Agent"] = "curl/8.0" };
        var requestValues = settings.RequestCaptures!.Capture(headers);
        using var response = new HttpResponseMessage { Content = new StringContent("x", Encoding.UTF8, "text/plain") };
        response.Headers.TryAddWithoutValidation("X-Tag", ["first", "a|b{c}\"#"]);
        var responseValues = settings.ResponseCaptures!.Capture(response);

        var line = Render(requestValues, responseValues);

        // HAProxy: the last occurrence wins, values truncated to len, missing ones empty, '|{}"#' encoded as #XX.
        Assert.EndsWith(
            " 0/0 {example.com||curl/} {text/plain; charset=utf-8|a#7Cb#7Bc#7D#22#23} \"GET /x HTTP/1.1\"",
            line,
            StringComparison.Ordinal);
    }

    [Fact]
    public void ListForms_SeparateValuesWithSpaces_AndDashForMissing()
    {
        Assert.True(LogFormatTemplate.TryParse("%hrl %{+Q}hsl %{+Q}hr", out var template, out var error), error);
        var line = new StringBuilder();
        template!.Render(Entry(["a b", null], ["x", null]), line, "host");
        Assert.Equal("a b - \"x\" \"\" \"{a b|}\"", line.ToString());
    }

    [Fact]
    public void Captures_AreValidated_LenAndModeHttp()
    {
        var frontend = Frontend();
        frontend.CaptureRequestHeaders.Add(new V1.HeaderCapture { Name = "X-Big", Len = 1025 });
        frontend.CaptureResponseHeaders.Add(new V1.HeaderCapture { Name = "Bad Name", Len = 4 });
        var errors = AccessLogSettings.Validate(frontend).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Contains("1-1024", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Bad Name", StringComparison.Ordinal));

        frontend = Frontend();
        frontend.Mode = V1.Mode.Tcp;
        Assert.Contains(AccessLogSettings.Validate(frontend), e => e.Contains("mode http", StringComparison.Ordinal));
    }

    private static string Render(string?[] request, string?[] response)
    {
        Assert.True(LogFormatTemplate.TryParse(AccessLogSettings.HttpLogFormat, out var template, out var error), error);
        var line = new StringBuilder();
        template!.Render(Entry(request, response), line, "host");
        return line.ToString();
    }

    private static AccessLogEntry Entry(string?[] request, string?[] response) => new()
    {
        Settings = null!,
        ClientAddress = IPAddress.Parse("10.0.0.1"),
        ClientPort = 4242,
        AcceptTime = new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero),
        RequestTime = new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero),
        Frontend = "web",
        Backend = "app",
        Server = "a",
        Times = new RequestTimes(0, 1, 20, 25),
        Status = 200,
        Termination = "--",
        Method = "GET",
        Target = "/x",
        Protocol = "HTTP/1.1",
        RequestCaptures = request,
        ResponseCaptures = response,
    };
}
