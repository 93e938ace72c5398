using System.Text.Json;
using System.Text.Json.Serialization;
using Harrier.Core.Collections;

namespace Harrier.State.Codec;

/// <summary>Creates a <see cref="ValueMapConverter{TValue}"/> for each closed <see cref="ValueMap{TValue}"/>.</summary>
internal sealed class ValueMapConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(ValueMap<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(ValueMapConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;
}
