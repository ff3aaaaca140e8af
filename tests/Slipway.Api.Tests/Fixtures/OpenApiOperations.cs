namespace Slipway.Api.Tests.Fixtures;

/// <summary>The operations in Slipway's generated OpenAPI document, as <c>"get /projects list-projects"</c>.</summary>
public static class OpenApiOperations
{
    public static async Task<IReadOnlySet<string>> LoadAsync(ApiFactory factory)
    {
        var document = await (await factory.ClientWith(null).GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken)).JsonAsync();
        var operations = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var id = operation.Value.TryGetProperty("operationId", out var value) ? value.GetString() : null;
                operations.Add($"{operation.Name} {path.Name["/api/v1".Length..]} {id}");
            }
        }

        return operations;
    }
}
