using System.Buffers;
using System.Text.Json;
using Harrier.Core.Instances;
using Harrier.Core.Time;

namespace Harrier.State.Codec;

/// <summary>
/// Writes a stored instance record by hand: the bytes <see cref="StoredRecordCodec.Encode{T}"/> writes for a
/// <see cref="StoredRecord{T}"/> of an <see cref="Instance"/>, property for property, without the serializer's
/// per-call state. Instances are most of every large commit (a scale-up writes 100,000), so this is the hot path of
/// the store; the serializer still reads them back. A test checks the bytes against the serializer's.
/// Each thread reuses one buffer and one writer. Like <see cref="StoredRecordCodec.Encode{T}"/>'s own writer, it escapes
/// non-ASCII text (the default encoder).
/// </summary>
internal static class InstanceRecordWriter
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static byte[] Encode(Instance instance)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var w = t_writer ??= new Utf8JsonWriter(buffer);
        w.Reset(buffer);
        w.WriteStartObject();
        w.WriteNumber("format"u8, StoredRecordCodec.CurrentFormat);
        w.WritePropertyName("value"u8);
        w.WriteStartObject();
        w.WriteString("id"u8, instance.Id.Value);
        w.WriteString("runSpecId"u8, instance.RunSpecId.Value);
        w.WriteNumber("runSpecVersion"u8, instance.RunSpecVersion.UnixMilliseconds);
        w.WriteString("goal"u8, GoalName(instance.Goal));
        w.WriteString("condition"u8, ConditionName(instance.Condition));
        w.WriteNumber("since"u8, instance.Since.UnixMilliseconds);
        Time(w, "activeSince"u8, instance.ActiveSince);
        if (instance.AgentId is { } agent)
        {
            w.WriteString("agentId"u8, agent.Value);
        }
        else
        {
            w.WriteNull("agentId"u8);
        }
        w.WriteString("host"u8, instance.Host);
        w.WriteNumber("incarnation"u8, instance.Incarnation);
        Time(w, "stagedAt"u8, instance.StagedAt);
        Time(w, "startedAt"u8, instance.StartedAt);
        w.WriteStartArray("hostPorts"u8);
        foreach (var port in instance.HostPorts.Items)
        {
            w.WriteNumberValue(port);
        }
        w.WriteEndArray();
        if (instance.Healthy is { } healthy)
        {
            w.WriteBoolean("healthy"u8, healthy);
        }
        else
        {
            w.WriteNull("healthy"u8);
        }
        w.WriteString("role"u8, instance.Role);
        w.WriteString("message"u8, instance.Message);
        Time(w, "unreachableSince"u8, instance.UnreachableSince);
        w.WriteStartArray("localVolumes"u8);
        foreach (var path in instance.LocalVolumes.Items)
        {
            w.WriteStringValue(path);
        }
        w.WriteEndArray();
        w.WriteStartArray("ipAddresses"u8);
        foreach (var address in instance.IpAddresses.Items)
        {
            w.WriteStringValue(address);
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static void Time(Utf8JsonWriter w, ReadOnlySpan<byte> name, Timestamp? value)
    {
        if (value is { } t)
        {
            w.WriteNumber(name, t.UnixMilliseconds);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static readonly string[] GoalNames = Names<Goal>();

    private static readonly string[] ConditionNames = Names<Condition>();

    private static string GoalName(Goal goal) => (uint)goal < (uint)GoalNames.Length ? GoalNames[(int)goal] : goal.ToString();

    private static string ConditionName(Condition condition) =>
        (uint)condition < (uint)ConditionNames.Length ? ConditionNames[(int)condition] : condition.ToString();

    /// <summary>Each value's name at the index of its value (the serializer's string enum names).</summary>
    private static string[] Names<T>() where T : struct, Enum
    {
        var values = Enum.GetValues<T>();
        var names = new string[values.Max(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)) + 1];
        foreach (var value in values)
        {
            names[Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)] = value.ToString();
        }
        return names;
    }
}
