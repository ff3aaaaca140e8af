using System.Globalization;
using Slipway.Api.Http;

namespace Slipway.Api.Features.Deployments;

/// <summary>Integer query values checked as Laravel's rules word them, collected into one 422.</summary>
internal static class QueryIntegers
{
    public static int Read(string? raw, string field, int fallback, int minimum, int maximum, ValidationErrors errors)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return fallback;
        }

        if (!int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            errors.Add(field, $"The {field} field must be an integer.");
            return fallback;
        }

        if (value < minimum || value > maximum)
        {
            errors.Add(field, maximum == int.MaxValue
                ? $"The {field} field must be at least {minimum}."
                : $"The {field} field must be between {minimum} and {maximum}.");
            return fallback;
        }

        return value;
    }
}
