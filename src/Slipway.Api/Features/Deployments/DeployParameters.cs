using System.Globalization;
using System.Text.Json;
using Slipway.Api.Http;
using Slipway.Core.Validation;

namespace Slipway.Api.Features.Deployments;

/// <summary>
/// The parameters of <c>POST /deploy</c>, read from the query string and the JSON body (the body wins, as
/// Laravel's <c>input()</c> merges them). Values are checked as Coolify's clients send them: <c>force</c> as
/// a Laravel boolean, <c>pr</c> as an integer (negative means 0).
/// </summary>
internal sealed record DeployParameters(string? Uuid, string? Tag, bool Force, int PullRequestId, string? DockerTag)
{
    /// <summary>The parameters, in Coolify's order; each may come from the query string or the JSON body.</summary>
    public static readonly IReadOnlyList<string> Names = ["tag", "uuid", "force", "pr", "pull_request_id", "docker_tag"];

    private static readonly HashSet<string> Known = [.. Names];

    public static async Task<(DeployParameters? Parameters, IResult? Failure)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, JsonElement?>(StringComparer.Ordinal);
        foreach (var name in Known)
        {
            if (request.Query.TryGetValue(name, out var raw))
            {
                values[name] = JsonSerializer.SerializeToElement(raw.ToString());
            }
        }

        var (document, failure) = await JsonBody.ParseAsync(request, cancellationToken);
        if (failure is not null)
        {
            return (null, failure);
        }

        var errors = new ValidationErrors();
        using (document)
        {
            if (document is not null)
            {
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (!Known.Contains(property.Name))
                    {
                        errors.Add(property.Name, JsonBody.NotAllowed);
                        continue;
                    }

                    values[property.Name] = property.Value.Clone();
                }
            }
        }

        var uuid = ReadString(values, "uuid", errors);
        var tag = ReadString(values, "tag", errors);
        var dockerTag = ReadString(values, "docker_tag", errors)?.Trim();
        var force = ReadBoolean(values, "force", errors);
        var pr = ReadInteger(values, "pull_request_id", errors) ?? ReadInteger(values, "pr", errors) ?? 0;
        if (!string.IsNullOrEmpty(dockerTag))
        {
            errors.AddIf("docker_tag", DockerImageRules.CheckTag(dockerTag));
        }

        return errors.HasErrors
            ? (null, errors.ToResult())
            : (new DeployParameters(NullIfEmpty(uuid), NullIfEmpty(tag), force, Math.Max(pr, 0), NullIfEmpty(dockerTag)), null);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string? ReadString(Dictionary<string, JsonElement?> values, string name, ValidationErrors errors)
    {
        if (!values.TryGetValue(name, out var element) || element is null || element.Value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.Value.ValueKind != JsonValueKind.String)
        {
            errors.Add(name, $"The {name} field must be a string.");
            return null;
        }

        return element.Value.GetString();
    }

    private static bool ReadBoolean(Dictionary<string, JsonElement?> values, string name, ValidationErrors errors)
    {
        if (!values.TryGetValue(name, out var element) || element is null)
        {
            return false;
        }

        var value = element.Value;
        switch (value.ValueKind)
        {
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
            case JsonValueKind.Null:
                return false;
            case JsonValueKind.Number when value.TryGetInt32(out var number) && number is 0 or 1:
                return number == 1;
            case JsonValueKind.String:
                switch (value.GetString()!.Trim().ToLowerInvariant())
                {
                    case "1" or "true" or "on" or "yes":
                        return true;
                    case "" or "0" or "false" or "off" or "no":
                        return false;
                }

                break;
        }

        errors.Add(name, $"The {name} field must be true or false.");
        return false;
    }

    private static int? ReadInteger(Dictionary<string, JsonElement?> values, string name, ValidationErrors errors)
    {
        if (!values.TryGetValue(name, out var element) || element is null || element.Value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var value = element.Value;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString()!.Trim();
            if (text.Length == 0)
            {
                return null;
            }

            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number))
            {
                return number;
            }
        }

        errors.Add(name, $"The {name} field must be an integer.");
        return null;
    }
}
