using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harrier.Api.Tests.Conformance.Strict;

/// <summary>Constructs <see cref="MarathonModels"/> objects: an unknown member, a missing required one or a wrong type throws.</summary>
internal static class StrictJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        NumberHandling = JsonNumberHandling.Strict,
    };

    public static T Parse<T>(string json) => Parse<T>(json, typeof(T).Name);

    public static T Parse<T>(string json, string what)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"a strict client cannot build {what}: {e.Message}\n{(json.Length > 2000 ? json[..2000] : json)}", e);
        }
    }

    /// <summary>An event, by its <c>eventType</c>; an event type the client does not know is an error.</summary>
    public static object ParseEvent(string type, string json)
    {
        if (!MarathonModels.EventTypes.TryGetValue(type, out var model))
        {
            throw new InvalidOperationException($"a strict client does not know the event type {type}: {json}");
        }
        try
        {
            return JsonSerializer.Deserialize(json, model, Options)!;
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"a strict client cannot build {type}: {e.Message}\n{(json.Length > 2000 ? json[..2000] : json)}", e);
        }
    }
}
