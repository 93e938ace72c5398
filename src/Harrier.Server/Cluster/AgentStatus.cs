using Harrier.Core.Resources;
using Harrier.Core.Time;

namespace Harrier.Server.Cluster;

/// <summary>An agent as the control plane sees it: what it registered and whether it is connected.</summary>
public sealed record AgentStatus(AgentInfo Info, bool Connected, Timestamp RegisteredAt, Timestamp LastSeen);
