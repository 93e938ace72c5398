using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Harrier.Core.Apps;
using Harrier.Core.Deployments;
using Harrier.Core.Groups;
using Harrier.Core.Instances;
using Harrier.Core.Resources;

namespace Harrier.State.Codec;

/// <summary>
/// Encodes and decodes stored records (UTF-8 JSON in a <see cref="StoredRecord{T}"/> envelope). This is State's own
/// format, not the Marathon API JSON. Invariant: <c>Decode(Encode(x)) == x</c> for every value of a Core record.
/// Computed (get-only, not constructor-bound) properties such as <c>AppSpec.ServicePorts</c> are not stored.
/// </summary>
internal static class StoredRecordCodec
{
    /// <summary>The version of the stored shape written now. Bump it, and migrate in <see cref="Decode{T}"/>, when the shape changes.</summary>
    public const int CurrentFormat = 1;

    // Metadata must come from these options (not the context's generated properties) so that the modifier applies.
    private static readonly JsonSerializerOptions Options = new(StateJsonContext.Default.Options)
    {
        TypeInfoResolver = StateJsonContext.Default.WithAddedModifier(DropComputedProperties),
        // Stored, never embedded in HTML: keep non-ASCII text as UTF-8 instead of \uXXXX escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static JsonTypeInfo<StoredRecord<AppSpec>> App { get; } = InfoFor<AppSpec>();

    public static JsonTypeInfo<StoredRecord<GroupNode>> Group { get; } = InfoFor<GroupNode>();

    public static JsonTypeInfo<StoredRecord<Instance>> Instance { get; } = InfoFor<Instance>();

    public static JsonTypeInfo<StoredRecord<DeploymentPlan>> Deployment { get; } = InfoFor<DeploymentPlan>();

    public static JsonTypeInfo<StoredRecord<AgentInfo>> Agent { get; } = InfoFor<AgentInfo>();

    public static JsonTypeInfo<StoredRecord<RootGroupVersion>> GroupVersion { get; } = InfoFor<RootGroupVersion>();

    public static byte[] Encode<T>(T value, JsonTypeInfo<StoredRecord<T>> info)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            JsonSerializer.Serialize(writer, new StoredRecord<T>(CurrentFormat, value), info);
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static T Decode<T>(ReadOnlySpan<byte> utf8, JsonTypeInfo<StoredRecord<T>> info)
    {
        var record = JsonSerializer.Deserialize(utf8, info)
            ?? throw new JsonException($"A stored {typeof(T).Name} record is null.");
        if (record.Format != CurrentFormat)
        {
            // No older format exists yet; a future format change adds its migration here.
            throw new JsonException($"Stored {typeof(T).Name} record has format {record.Format}; this build reads format {CurrentFormat}.");
        }
        return record.Value;
    }

    private static JsonTypeInfo<StoredRecord<T>> InfoFor<T>() =>
        (JsonTypeInfo<StoredRecord<T>>)Options.GetTypeInfo(typeof(StoredRecord<T>));

    private static void DropComputedProperties(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }
        for (var i = typeInfo.Properties.Count - 1; i >= 0; i--)
        {
            var property = typeInfo.Properties[i];
            if (property.Set is null && property.AssociatedParameter is null)
            {
                typeInfo.Properties.RemoveAt(i);
            }
        }
    }
}
