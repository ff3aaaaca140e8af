using System.Text.Json.Nodes;

namespace Slipway.Api.Http;

/// <summary>
/// A request feature the dashboard sets before it calls an API operation: the submitted form as the JSON object the
/// operation would read from an API client's body (<see cref="JsonBody.ParseAsync"/> returns it instead of reading
/// the request). The API itself never sets it, so its requests are read exactly as before.
/// </summary>
public sealed class SubmittedFields(JsonObject body)
{
    public JsonObject Body { get; } = body;
}
