using Harrier.Core.Resources;

namespace Harrier.Scheduling;

/// <summary>An agent as the placer sees it: what it offers, what is already used, and whether it is draining.</summary>
public sealed record AgentCapacity(AgentInfo Agent, ResourceVector Used, IReadOnlySet<int> UsedPorts, bool Draining = false);
