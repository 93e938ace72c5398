using Harrier.Core.Instances;

namespace Harrier.Agent.Launch;

/// <summary>Fetches the app's <c>fetch</c> URIs into the sandbox (Mesos' fetcher).</summary>
internal sealed class FetchStep(UriFetcher fetcher) : ILaunchStep
{
    public string Name => "fetch";

    public LaunchPhase Phase => LaunchPhase.Starting;

    public async Task PrepareAsync(LaunchContext context, CancellationToken cancellationToken)
    {
        foreach (var uri in context.Launch.Fetch)
        {
            try
            {
                await fetcher.FetchAsync(uri, context.Sandbox, cancellationToken);
            }
            catch (FetchException e)
            {
                throw new LaunchStepException(TaskState.Failed, TaskReasons.FetchFailed, e.Message, e);
            }
        }
    }

    public Task RecoverAsync(LaunchContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ReleaseAsync(LaunchContext context) => Task.CompletedTask;
}
