using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Harrier.Core.Collections;
using Harrier.Core.Ids;

namespace Harrier.Protocol.Json;

/// <summary>
/// The JSON wire format of the agent protocol. The Core domain types carry no serializer attributes, so every
/// wire choice lives here: camelCase names, enums as camelCase strings, ids and paths as plain strings,
/// <see cref="Harrier.Core.Time.Timestamp"/> as an ISO-8601 UTC string with milliseconds, nulls written explicitly.
/// Computed (get-only) members such as <c>HealthCheckResult.Alive</c> are not written: the wire carries state only.
/// </summary>
public static class ProtocolJson
{
    /// <summary>The options every protocol message is (de)serialized with. Read-only.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    /// <summary>
    /// Reads one message. Any malformed input (bad JSON, wrong types, missing required members, an unknown or
    /// missing command <c>type</c>, a JSON <c>null</c> message) throws <see cref="JsonException"/>.
    /// </summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> utf8Json)
    {
        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(utf8Json, Options);
        }
        catch (NotSupportedException e)
        {
            // STJ reports a missing discriminator on the abstract AgentCommand as "not supported"; to a caller
            // reading from the network that is just malformed input.
            throw new JsonException(e.Message, e);
        }
        return value ?? throw new JsonException($"Expected a {typeof(T).Name}, got null.");
    }

    /// <summary>
    /// Builds the serializer's metadata for every message type now instead of on first use. Under load the first
    /// use is 10,000 agents' first status updates at once, all spinning on the lock of the one thread configuring.
    /// </summary>
    public static void Prepare()
    {
        foreach (var type in (Type[])[typeof(AgentCommand), typeof(RegisterAgentRequest), typeof(RegisterAgentResponse), typeof(TaskStatusUpdate),
                     typeof(TaskStatusUpdate[]), typeof(TaskHealthReport), typeof(ValueList<TaskHealthCheck>), typeof(TaskReadinessCheck), typeof(TaskContainer)])
        {
            Options.GetTypeInfo(type);
        }
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            PropertyNameCaseInsensitive = false,
            NumberHandling = JsonNumberHandling.Strict,
            WriteIndented = false,
            // Nulls are written: a nullable constructor parameter without a default (TaskHealthCheck.Port) is required
            // on read, so "absent" and "null" must not be conflated.
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            AllowOutOfOrderMetadataProperties = true,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { DropComputedMembers } },
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.Converters.Add(new StringValueConverter<PathId>(s => PathId.Parse(s), p => p.Value));
        options.Converters.Add(new StringValueConverter<TaskId>(s => new TaskId(s), t => t.Value));
        options.Converters.Add(new StringValueConverter<InstanceId>(s => new InstanceId(s), i => i.Value));
        options.Converters.Add(new StringValueConverter<AgentId>(s => new AgentId(s), a => a.Value));
        options.Converters.Add(new StringValueConverter<DeploymentId>(s => new DeploymentId(s), d => d.Value));
        options.Converters.Add(new TimestampConverter());
        options.Converters.Add(new ResourceLimitsSpecConverter());
        options.Converters.Add(new PortRangeConverter());
        options.Converters.Add(new ValueListConverterFactory());
        options.Converters.Add(new ValueMapConverterFactory());
        options.MakeReadOnly();
        return options;
    }

    // Get-only members (PortRange.Count, HealthCheckResult.Alive) are derived from the others; writing them would
    // only invite a reader to trust a value it cannot set.
    private static void DropComputedMembers(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }
        for (var i = typeInfo.Properties.Count - 1; i >= 0; i--)
        {
            if (typeInfo.Properties[i].Set is null && typeInfo.Properties[i].AssociatedParameter is null)
            {
                typeInfo.Properties.RemoveAt(i);
            }
        }
    }
}
