using System.Text.Json;
using Harrier.Core.Collections;

namespace Harrier.Protocol.Json;

/// <summary>
/// Writes the commands a server sends by the hundred thousand (launch, ack, kill) straight onto a
/// <see cref="Utf8JsonWriter"/>, byte for byte as <see cref="ProtocolJson.Serialize{T}"/> writes them as an
/// <see cref="AgentCommand"/>; any other command goes through the serializer. The serializer's polymorphic path
/// costs a nested write stack per object, which grows (copying its frames) on every launch; a large deployment
/// spent more CPU there than on placing. Tests compare the two writers over random commands.
/// </summary>
public static class AgentCommandWriter
{
    private static readonly ResourceLimitsSpecConverter Limits = new();

    public static void Write(Utf8JsonWriter writer, AgentCommand command)
    {
        switch (command)
        {
            case LaunchTaskCommand launch:
                writer.WriteStartObject();
                writer.WriteString("type"u8, "launch"u8);
                writer.WritePropertyName("launch"u8);
                WriteLaunch(writer, launch.Launch);
                writer.WriteEndObject();
                return;
            case AckStatusCommand ack:
                writer.WriteStartObject();
                writer.WriteString("type"u8, "ack"u8);
                writer.WriteString("taskId"u8, ack.TaskId.Value);
                writer.WriteString("updateId"u8, ack.UpdateId);
                writer.WriteEndObject();
                return;
            case KillTaskCommand kill:
                writer.WriteStartObject();
                writer.WriteString("type"u8, "kill"u8);
                writer.WriteString("taskId"u8, kill.TaskId.Value);
                writer.WriteNumber("gracePeriodSeconds"u8, kill.GracePeriodSeconds);
                writer.WriteEndObject();
                return;
            default:
                JsonSerializer.Serialize(writer, command, ProtocolJson.Options);
                return;
        }
    }

    private static void WriteLaunch(Utf8JsonWriter writer, TaskLaunch launch)
    {
        writer.WriteStartObject();
        writer.WriteString("taskId"u8, launch.TaskId.Value);
        writer.WriteString("instanceId"u8, launch.InstanceId.Value);
        writer.WriteString("appId"u8, launch.AppId.Value);
        writer.WritePropertyName("appVersion"u8);
        TimestampConverter.WriteValue(writer, launch.AppVersion);
        writer.WriteString("shell"u8, launch.Shell);
        writer.WritePropertyName("argv"u8);
        writer.WriteStartArray();
        foreach (var arg in launch.Argv)
        {
            writer.WriteStringValue(arg);
        }
        writer.WriteEndArray();
        writer.WriteString("user"u8, launch.User);
        writer.WritePropertyName("environment"u8);
        WriteMap(writer, launch.Environment);
        writer.WritePropertyName("resources"u8);
        writer.WriteStartObject();
        writer.WriteNumber("cpus"u8, launch.Resources.Cpus);
        writer.WriteNumber("mem"u8, launch.Resources.Mem);
        writer.WriteNumber("disk"u8, launch.Resources.Disk);
        writer.WriteNumber("gpus"u8, launch.Resources.Gpus);
        writer.WriteEndObject();
        writer.WritePropertyName("limits"u8);
        if (launch.Limits is { } limits)
        {
            Limits.Write(writer, limits, ProtocolJson.Options);
        }
        else
        {
            writer.WriteNullValue();
        }
        writer.WritePropertyName("hostPorts"u8);
        writer.WriteStartArray();
        foreach (var port in launch.HostPorts)
        {
            writer.WriteNumberValue(port);
        }
        writer.WriteEndArray();
        writer.WritePropertyName("fetch"u8);
        writer.WriteStartArray();
        foreach (var fetch in launch.Fetch)
        {
            writer.WriteStartObject();
            writer.WriteString("uri"u8, fetch.Uri);
            writer.WriteBoolean("extract"u8, fetch.Extract);
            writer.WriteBoolean("executable"u8, fetch.Executable);
            writer.WriteBoolean("cache"u8, fetch.Cache);
            writer.WriteString("destPath"u8, fetch.DestPath);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteNumber("killGracePeriodSeconds"u8, launch.KillGracePeriodSeconds);
        writer.WritePropertyName("labels"u8);
        WriteMap(writer, launch.Labels);
        // Checks are rare next to plain launches and have many fields: the serializer writes them.
        writer.WritePropertyName("healthChecks"u8);
        if (launch.HealthChecks.IsEmpty)
        {
            writer.WriteStartArray();
            writer.WriteEndArray();
        }
        else
        {
            JsonSerializer.Serialize(writer, launch.HealthChecks, ProtocolJson.Options);
        }
        writer.WritePropertyName("readiness"u8);
        if (launch.Readiness is { } readiness)
        {
            JsonSerializer.Serialize(writer, readiness, ProtocolJson.Options);
        }
        else
        {
            writer.WriteNullValue();
        }
        writer.WritePropertyName("container"u8);
        if (launch.Container is { } container)
        {
            JsonSerializer.Serialize(writer, container, ProtocolJson.Options);
        }
        else
        {
            writer.WriteNullValue();
        }
        writer.WriteEndObject();
    }

    private static void WriteMap(Utf8JsonWriter writer, ValueMap<string> map)
    {
        writer.WriteStartObject();
        foreach (var (key, value) in map)
        {
            writer.WriteString(key, value);
        }
        writer.WriteEndObject();
    }
}
