using Harrier.Core.Apps;
using Harrier.Core.Instances;

namespace Harrier.Agent.Launch;

/// <summary>
/// The network slot of a launch. Host networking needs nothing: the task shares the agent's network. Bridge and
/// named container networks set <see cref="LaunchContext.NetworkNamespace"/> in their own steps (they arrive with
/// the container-networking work, issue 16); until then such a launch fails with a message that says so instead of
/// running on the host network unasked.
/// </summary>
internal sealed class NetworkStep : ILaunchStep
{
    public string Name => "network";

    public LaunchPhase Phase => LaunchPhase.Starting;

    public Task PrepareAsync(LaunchContext context, CancellationToken cancellationToken)
    {
        var networks = context.Launch.Container?.Networks ?? [];
        if (networks.Count > 0 && networks[0].Mode != NetworkMode.Host)
        {
            var mode = networks[0].Mode == NetworkMode.ContainerBridge ? "container/bridge" : $"container ({networks[0].Name})";
            throw new LaunchStepException(TaskState.Failed, TaskReasons.LaunchFailed, $"Failed to launch container: {mode} networking is not available on this agent");
        }
        return Task.CompletedTask;
    }

    public Task RecoverAsync(LaunchContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ReleaseAsync(LaunchContext context) => Task.CompletedTask;
}
