using Harrier.Core.Ids;
using Harrier.Core.Time;

namespace Harrier.Server.Cluster;

/// <summary>The last failed task of an app (<c>lastTaskFailure</c>).</summary>
public sealed record TaskFailure(PathId AppId, TaskId TaskId, string State, string Message, string Host, Timestamp Timestamp, Timestamp Version, AgentId? AgentId);
