using Harrier.Core.Ids;
using Harrier.Core.Time;

namespace Harrier.Server.Cluster;

/// <summary>The last failed task of an app (<c>lastTaskFailure</c>). <see cref="Reason"/> is the agent's Mesos reason
/// (not written in <c>lastTaskFailure</c>, whose message already names it); <see cref="Cause"/> the agent's own
/// message without it.</summary>
public sealed record TaskFailure(PathId AppId, TaskId TaskId, string State, string Message, string Host, Timestamp Timestamp, Timestamp Version, AgentId? AgentId, string? Reason = null, string? Cause = null);
