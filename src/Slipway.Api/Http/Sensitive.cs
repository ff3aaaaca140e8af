using System.Text.Json;
using System.Text.Json.Serialization;

namespace Slipway.Api.Http;

/// <summary>
/// A response field shown only to callers that may read sensitive data. Unshown (the default) it is left out of
/// the answer altogether; shown, it is written as its value, null included — so a <c>read:sensitive</c> caller
/// sees <c>"dockerfile": null</c> where a <c>read</c> caller sees no <c>dockerfile</c> key, as in Coolify.
/// </summary>
[JsonConverter(typeof(SensitiveConverterFactory))]
public readonly record struct Sensitive<T>
{
    private Sensitive(T value)
    {
        Value = value;
        Shown = true;
    }

    public T Value { get; }

    public bool Shown { get; }

    /// <summary>The value when <paramref name="show"/>, otherwise nothing (the field is left out).</summary>
    public static Sensitive<T> When(bool show, Func<T> value) => show ? new Sensitive<T>(value()) : default;
}

/// <summary>Writes a shown <see cref="Sensitive{T}"/> as its value; properties of that type are left out when unshown.</summary>
internal sealed class SensitiveConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(Sensitive<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

    private sealed class Converter<T> : JsonConverter<Sensitive<T>>
    {
        public override Sensitive<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("Sensitive fields are only written.");

        public override void Write(Utf8JsonWriter writer, Sensitive<T> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.Value, options);
    }
}
