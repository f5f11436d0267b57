using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ballast.ControlPlane.Declarative;
using Ballast.ControlPlane.Model;
using Ballast.ControlPlane.Tests.TestSupport;

namespace Ballast.ControlPlane.Tests.Declarative;

public sealed class NativeSchemaTests
{
    private const string UpdateVariable = "BALLAST_UPDATE_SCHEMA";
    private static readonly string CommittedPath = RepoPaths.Of("deploy", "schema", "ballast-config.schema.json");

    [Fact]
    public void CommittedSchemaFile_IsUpToDateWithTheModel()
    {
        var generated = new NativeSchema().Text;
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(CommittedPath)!);
            File.WriteAllText(CommittedPath, generated);
        }

        Assert.True(File.Exists(CommittedPath), $"{CommittedPath} is missing");
        var committed = File.ReadAllText(CommittedPath).ReplaceLineEndings("\n");
        Assert.True(committed == generated,
            "deploy/schema/ballast-config.schema.json is out of date with the model. Regenerate it with\n" +
            $"  {UpdateVariable}=1 dotnet test tests/Ballast.ControlPlane.Tests --filter CommittedSchemaFile_IsUpToDateWithTheModel\n" +
            "and commit the result.");
    }

    [Fact]
    public async Task SchemaEndpoint_ServesTheGeneratedSchema()
    {
        await using var host = await ControlPlaneHost.StartAsync();
        using var response = await host.Client.GetAsync("/api/v1/schema/native");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/schema+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(new NativeSchema().Text, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(typeof(FrontendSpec), "properties", "frontends", "items")]
    [InlineData(typeof(BackendSpec), "properties", "backends", "items")]
    [InlineData(typeof(ServerSpec), "properties", "backends", "items", "properties", "servers", "items")]
    [InlineData(typeof(HealthCheckSpec), "properties", "backends", "items", "properties", "healthCheck")]
    public void Schema_ListsEveryPropertyOfTheModel_AndRejectsUnknownOnes(Type type, params string[] path)
    {
        JsonNode node = new NativeSchema().Generate();
        foreach (var step in path)
        {
            node = node[step]!;
        }

        var expected = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name));
        Assert.Equal(expected.Order(), node["properties"]!.AsObject().Select(p => p.Key).Order());
        Assert.False(node["additionalProperties"]!.GetValue<bool>());
    }

    [Fact]
    public void Schema_ListsEnumWords_AllowsDollarSchema_AndDescribesFields()
    {
        var schema = new NativeSchema().Generate();
        var server = schema["properties"]!["backends"]!["items"]!["properties"]!["servers"]!["items"]!["properties"]!;

        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema["$schema"]!.GetValue<string>());
        Assert.Equal("string", schema["properties"]!["$schema"]!["type"]!.GetValue<string>());
        Assert.Equal(["ready", "drain", "maint"], server["state"]!["enum"]!.AsArray().Select(w => w!.GetValue<string>()));
        Assert.Equal(0, server["port"]!["minimum"]!.GetValue<int>());
        Assert.Equal("TCP port, 1-65535.", server["port"]!["description"]!.GetValue<string>());
    }
}
