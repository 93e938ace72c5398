using Harrier.Core.Resources;
using Harrier.Core.Time;

namespace Harrier.Server.Cluster;

/// <summary>
/// An agent as the control plane sees it: what it registered and whether it is connected.
/// <see cref="LastSeen"/> is its latest registration, heartbeat, status or health report (after a server start, the
/// start). <see cref="Lost"/>: silent for longer than the agent timeout, so its instances were marked unreachable; it
/// stays lost until it registers again.
/// </summary>
public sealed record AgentStatus(AgentInfo Info, bool Connected, Timestamp RegisteredAt, Timestamp LastSeen)
{
    public bool Lost { get; init; }
}
