using System.Text.Json;
using System.Text.Json.Serialization;
using Harrier.Core.Collections;

namespace Harrier.State.Codec;

/// <summary>Creates a <see cref="ValueListConverter{T}"/> for each closed <see cref="ValueList{T}"/>.</summary>
internal sealed class ValueListConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(ValueList<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(ValueListConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;
}
