using System.Text.Json.Nodes;

namespace Harrier.Drivers.Oci;

/// <summary>A generated OCI runtime <c>config.json</c> and the decisions in it the driver acts on outside it.</summary>
internal sealed record OciSpec(JsonObject Config, ContainerUser User, string Hostname);
