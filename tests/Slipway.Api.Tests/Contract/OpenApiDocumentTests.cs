using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Slipway.Api.Tests.Fixtures;

namespace Slipway.Api.Tests.Contract;

/// <summary>
/// Slipway's own OpenAPI document: OpenAPI 3.1 that Microsoft.OpenApi reads without a diagnostic, with the bearer
/// scheme and each route's ability, and the conformance check of every test answer really running.
/// </summary>
public sealed class OpenApiDocumentTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Document_ReadByMicrosoftOpenApi_HasNoErrorsAndEveryOperationAnswers401WithTheScheme()
    {
        var text = await factory.ClientWith(null).GetStringAsync("/openapi/v1.json", Ct);

        var result = OpenApiDocument.Parse(text, "json", new OpenApiReaderSettings());

        Assert.Empty(result.Diagnostic?.Errors ?? []);
        var document = JsonNode.Parse(text)!.AsObject();
        Assert.StartsWith("3.1", document["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("bearer", document["components"]!["securitySchemes"]!["bearerAuth"]!["scheme"]!.GetValue<string>());
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var secured = operation!["security"] is JsonArray { Count: > 0 };
                var open = path is "/api/v1/health" || path.StartsWith("/webhooks/", StringComparison.Ordinal);
                Assert.True(secured != open, $"{method} {path}: security {(secured ? "set" : "missing")}");
                if (secured)
                {
                    Assert.NotNull(operation["responses"]!["401"]);
                }
            }
        }
    }

    [Theory]
    [InlineData("/api/v1/deployments/{uuid}", "get", "read")]
    [InlineData("/api/v1/deploy", "post", "deploy")]
    [InlineData("/api/v1/deployments/{uuid}/logs", "get", "read:sensitive")]
    [InlineData("/api/v1/applications/{uuid}", "patch", "write")]
    public async Task Document_Operation_NamesItsAbilityAndAnswers403(string path, string method, string ability)
    {
        var document = JsonNode.Parse(await factory.ClientWith(null).GetStringAsync("/openapi/v1.json", Ct))!;

        var operation = document["paths"]![path]![method]!;

        Assert.Equal(ability, operation["x-slipway-ability"]!.GetValue<string>());
        Assert.NotNull(operation["responses"]!["403"]);
    }

    [Fact]
    public async Task Document_RequestBody_CarriesTheFieldTableRules()
    {
        var document = JsonNode.Parse(await factory.ClientWith(null).GetStringAsync("/openapi/v1.json", Ct))!;

        var body = document["components"]!["schemas"]!["UpdateApplicationRequest"]!;

        Assert.False(body["additionalProperties"]!.GetValue<bool>());
        Assert.Equal(["GET", "HEAD", "POST", "OPTIONS"], body["properties"]!["health_check_method"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(1, body["properties"]!["health_check_interval"]!["minimum"]!.GetValue<int>());
        Assert.NotNull(body["properties"]!["limits_memory"]!["pattern"]);
        var create = document["components"]!["schemas"]!["CreatePublicApplicationRequest"]!;
        Assert.Contains("git_repository", create["required"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public async Task Conformance_EveryDocumentedAnswer_IsChecked()
    {
        var before = factory.Conformance.Checked;

        var response = await factory.RootClient().GetAsync("/api/v1/projects", Ct);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.True(factory.Conformance.Checked > before);
    }

    [Fact]
    public void Conformance_UndocumentedStatusOrWrongBody_IsReported()
    {
        var document = JsonNode.Parse("""
            {"paths":{"/x":{"get":{"responses":{"200":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/M"}}}}}}}},
             "components":{"schemas":{"M":{"type":"object","required":["message"],"properties":{"message":{"type":"string"}}}}}}
            """)!.AsObject();
        var conformance = new OpenApiConformance();

        Assert.Null(conformance.Check(document, "/x", "get", 200, "application/json; charset=utf-8", """{"message":"ok"}"""u8));
        Assert.Contains("does not list", conformance.Check(document, "/x", "get", 404, "application/json", """{"message":"no"}"""u8), StringComparison.Ordinal);
        Assert.Contains("does not match", conformance.Check(document, "/x", "get", 200, "application/json", """{"message":1}"""u8), StringComparison.Ordinal);
        Assert.Contains("answered 'text/plain'", conformance.Check(document, "/x", "get", 200, "text/plain", "ok"u8), StringComparison.Ordinal);
    }
}
