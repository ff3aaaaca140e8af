using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Slipway.Cli.Client;

/// <summary>A finished API answer: its status code and body text (JSON for everything the CLI reads).</summary>
internal sealed record ApiResponse(HttpStatusCode Status, string Body)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary>The <c>message</c> of a Coolify-style error body, if there is one.</summary>
    public string? Message
    {
        get
        {
            try
            {
                return JsonNode.Parse(Body) is JsonObject o && o["message"] is JsonValue v && v.TryGetValue<string>(out var m) ? m : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    public JsonNode Json()
    {
        try
        {
            return JsonNode.Parse(Body) ?? throw new CliException("The server answered an empty JSON body.", ExitCodes.Usage);
        }
        catch (JsonException ex)
        {
            throw new CliException($"The server's answer is not JSON ({ex.Message}).", ExitCodes.Usage);
        }
    }

    /// <summary>Throws the server's refusal as one error line (exit code 4) unless the answer is a success.</summary>
    public ApiResponse EnsureSuccess(string what) => IsSuccess ? this : throw ToError(what);

    /// <summary>The answer as the one error line the CLI prints: what failed, the status code and the server's message.</summary>
    public CliException ToError(string what)
    {
        var detail = Message ?? (Body.Length is > 0 and <= 200 ? Body.Trim() : null);
        var hint = Status == HttpStatusCode.Unauthorized ? " (check the context's token or SLIPWAY_TOKEN)" : "";
        return new CliException($"{what}: the server answered {(int)Status}{(detail is null ? "" : $" {detail}")}{hint}", ExitCodes.Usage);
    }

    /// <summary>A JSON value as text: strings as they are, anything else (numbers, booleans) in JSON form.</summary>
    public static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };
}
