using System.Globalization;
using System.Text.Json.Nodes;
using Slipway.Api.Http;
using Slipway.Api.Http.Fields;

namespace Slipway.Api.Dashboard.Forms;

/// <summary>
/// Turns a posted form into the JSON object an API operation reads, for the fields of one of the API's field sets
/// (<see cref="WireFields{T}"/>): inputs are named after the wire fields, so the API's rules judge them and its
/// messages come back under the same names. Text stays text; a checkbox posts <c>true</c> after a hidden
/// <c>false</c>; a number that is not one is passed on as text, for the API to say what it expects.
/// </summary>
public static class FormFields
{
    /// <summary>
    /// The form's values for <paramref name="fields"/>. With <paramref name="omitEmpty"/> (a create) an empty input
    /// means "not given"; otherwise (an update of shown fields) it clears the value, as an empty string does in the API.
    /// </summary>
    public static JsonObject ToJson<T>(IFormCollection form, WireFields<T> fields, bool omitEmpty)
    {
        var body = new JsonObject();
        foreach (var field in fields.Fields)
        {
            if (!form.TryGetValue(field.Name, out var values) || values.Count == 0)
            {
                continue;
            }

            var text = values[^1] ?? string.Empty;
            if (omitEmpty && text.Length == 0 && field.Kind != WireKind.Boolean)
            {
                continue;
            }

            body[field.Name] = field.Kind switch
            {
                WireKind.Boolean => text is "true" or "on",
                WireKind.Integer => int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : (JsonNode)text,
                WireKind.Integer64 => long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var size) ? size : (JsonNode)text,
                WireKind.StringArray => new JsonArray(text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => (JsonNode)t).ToArray()),
                _ => text.Replace("\r\n", "\n", StringComparison.Ordinal),
            };
        }

        return body;
    }

    /// <summary>Hands <paramref name="body"/> to the next API operation this request calls (<see cref="SubmittedFields"/>).</summary>
    public static void Submit(HttpContext http, JsonObject body) => http.Features.Set(new SubmittedFields(body));
}
