using Harrier.Core.Instances;

namespace Harrier.Agent.Launch;

/// <summary>Fetches the app's <c>fetch</c> URIs into the sandbox (Mesos' fetcher), for the task's host user.</summary>
internal sealed class FetchStep(UriFetcher fetcher, TaskUsers users) : ILaunchStep
{
    public string Name => "fetch";

    public LaunchPhase Phase => LaunchPhase.Starting;

    public async Task PrepareAsync(LaunchContext context, CancellationToken cancellationToken)
    {
        if (context.Launch.Fetch.IsEmpty)
        {
            return;
        }
        var user = users.HostUserOf(context.Launch);
        if (user is null && Linux.UnixUser.IsRoot)
        {
            throw new LaunchStepException(TaskState.Failed, TaskReasons.FetchFailed,
                $"Failed to fetch: neither the task's user '{context.Launch.User}' nor the default user '{users.DefaultUser}' exists on this agent");
        }
        foreach (var uri in context.Launch.Fetch)
        {
            try
            {
                await fetcher.FetchAsync(uri, context.Sandbox, user, cancellationToken);
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
