using System.Text.Json;
using Harrier.Core.Apps;
using Harrier.Core.Collections;

namespace Harrier.Api.Apps;

/// <summary>Writes <c>networks</c> and <c>portDefinitions</c>.</summary>
internal static class NetworkJsonWriter
{
    public static void WriteNetworks(Utf8JsonWriter w, ValueList<NetworkSpec> networks)
    {
        w.WriteStartArray("networks");
        foreach (var n in networks)
        {
            w.WriteStartObject();
            w.WriteString("mode", n.Mode switch
            {
                NetworkMode.Host => "host",
                NetworkMode.ContainerBridge => "container/bridge",
                _ => "container",
            });
            if (n.Name is not null)
            {
                w.WriteString("name", n.Name);
            }
            if (!n.Labels.IsEmpty)
            {
                JsonParts.StringMap(w, "labels", n.Labels);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    public static void WritePortDefinitions(Utf8JsonWriter w, ValueList<PortDefinition> definitions)
    {
        w.WriteStartArray("portDefinitions");
        foreach (var d in definitions)
        {
            w.WriteStartObject();
            w.WriteNumber("port", d.Port);
            if (d.Name is not null)
            {
                w.WriteString("name", d.Name);
            }
            w.WriteString("protocol", d.Protocol);
            if (!d.Labels.IsEmpty)
            {
                JsonParts.StringMap(w, "labels", d.Labels);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
