using Harrier.Core.Collections;

namespace Harrier.Core.Apps;

/// <summary>A host-networking port. <see cref="Port"/> is the service port (0 = assign one).</summary>
public sealed record PortDefinition(int Port, string? Name = null, string Protocol = "tcp", ValueMap<string> Labels = default);
