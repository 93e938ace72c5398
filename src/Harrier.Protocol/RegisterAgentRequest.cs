using Harrier.Core.Collections;
using Harrier.Core.Resources;

namespace Harrier.Protocol;

/// <summary>
/// Sent by an agent when it (re)connects: who it is, what it offers, and the tasks it is running right now
/// (recovered from its checkpoint), so the server can reconcile.
/// </summary>
public sealed record RegisterAgentRequest(int ProtocolVersion, AgentInfo Agent, ValueList<TaskReport> Tasks);
