using Harrier.Drivers;
using Harrier.Protocol;

namespace Harrier.Agent.Launch;

/// <summary>
/// The launch steps of every task on this agent, in order. Prepares them (announcing each phase change so the
/// runner reports TASK_STARTING before the first starting step), releases the prepared ones in reverse when one
/// fails or the task ends, and turns the result into the driver's <see cref="DriverTaskSpec"/>.
/// </summary>
internal sealed class LaunchPipeline(IReadOnlyList<ILaunchStep> steps)
{
    public IReadOnlyList<ILaunchStep> Steps { get; } = steps;

    public async Task PrepareAsync(LaunchContext context, Action<LaunchPhase> enterPhase, CancellationToken cancellationToken)
    {
        var phase = LaunchPhase.Staging;
        var prepared = new List<ILaunchStep>(Steps.Count);
        try
        {
            foreach (var step in Steps)
            {
                if (step.Phase != phase)
                {
                    phase = step.Phase;
                    enterPhase(phase);
                }
                prepared.Add(step);
                await step.PrepareAsync(context, cancellationToken);
            }
            if (phase != LaunchPhase.Starting)
            {
                enterPhase(LaunchPhase.Starting);
            }
        }
        catch
        {
            await ReleaseAsync(context, prepared);
            throw;
        }
    }

    /// <summary>Recovers every step's view of a task a previous agent process launched; a step's failure is
    /// swallowed (the task runs on, and its release still runs at the end).</summary>
    public async Task RecoverAsync(LaunchContext context, CancellationToken cancellationToken)
    {
        foreach (var step in Steps)
        {
            try
            {
                await step.RecoverAsync(context, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Best effort: what cannot be re-established is released at the end anyway.
            }
        }
    }

    public Task ReleaseAsync(LaunchContext context) => ReleaseAsync(context, Steps);

    public static DriverTaskSpec ToDriverSpec(LaunchContext context)
    {
        var spec = TaskLaunchMapper.ToDriverSpec(context.Launch, context.Sandbox, context.StateDirectory);
        if (context.Image is not { } image || context.Launch.Container is not { } container)
        {
            return spec with { NetworkNamespace = context.NetworkNamespace };
        }
        return spec with
        {
            Environment = TaskEnvironment.ForContainer(context.Launch, VolumesStep.ContainerSandbox),
            Container = new ContainerTaskSpec
            {
                Image = image,
                Privileged = container.Privileged,
                Parameters = [.. container.Parameters.Select(p => new KeyValuePair<string, string>(p.Key, p.Value))],
                Mounts = [.. context.Mounts],
                NetworkNamespace = context.NetworkNamespace,
                Nameservers = [.. context.Nameservers],
            },
        };
    }

    private static async Task ReleaseAsync(LaunchContext context, IReadOnlyList<ILaunchStep> steps)
    {
        for (var i = steps.Count - 1; i >= 0; i--)
        {
            try
            {
                await steps[i].ReleaseAsync(context);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                // A release that cannot finish leaves its resource for the agent's start-up cleanup.
            }
        }
    }
}
