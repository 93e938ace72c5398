using Harrier.Core.Ids;

namespace Harrier.Server.Discovery;

/// <summary>Where a VIP's connections go for one task port: an address and port, weight 1 (new connections) or 0
/// (unhealthy or being killed: established connections only). <see cref="Agent"/> is set when the address is the
/// agent's and the port a host port.</summary>
public sealed record VipBackend(string Address, int Port, int Weight, PathId App, TaskId Task, AgentId? Agent);
