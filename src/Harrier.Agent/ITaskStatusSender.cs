using Harrier.Protocol;

namespace Harrier.Agent;

/// <summary>Where a <see cref="TaskRunner"/> hands the status updates it creates (the agent's sender loop).</summary>
internal interface ITaskStatusSender
{
    void Send(TaskStatusUpdate update);
}
