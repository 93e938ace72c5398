using Harrier.Core.Instances;
using Harrier.Drivers;
using Harrier.Protocol;

namespace Harrier.Agent.Launch;

/// <summary>
/// The app's <c>container.volumes</c>: host paths (absolute, or relative to the sandbox) and persistent local
/// volumes, whose data lives under the agent's <c>volumes/</c> directory by volume id and so survives the task's
/// restarts and upgrades. In a container, an absolute <c>containerPath</c> is mounted there and a relative one
/// under the sandbox (<c>/mnt/mesos/sandbox/PATH</c>); a plain process gets a link in its sandbox instead, and an
/// absolute <c>containerPath</c> needs an image.
/// </summary>
internal sealed class VolumesStep(PersistentVolumes volumes) : ILaunchStep
{
    public const string ContainerSandbox = "/mnt/mesos/sandbox";

    public string Name => "volumes";

    public LaunchPhase Phase => LaunchPhase.Starting;

    public Task PrepareAsync(LaunchContext context, CancellationToken cancellationToken)
    {
        foreach (var volume in context.Launch.Container?.Volumes ?? [])
        {
            var host = HostDirectory(context, volume);
            if (context.Image is not null)
            {
                context.Mounts.Add(new ContainerMount(host, ContainerTarget(volume.ContainerPath), volume.ReadOnly));
            }
            else if (Path.IsPathRooted(volume.ContainerPath))
            {
                throw Invalid($"volume containerPath '{volume.ContainerPath}' is absolute: that needs a container image");
            }
            else
            {
                var link = context.InSandbox(volume.ContainerPath);
                if (!File.Exists(link) && !Directory.Exists(link) && new FileInfo(link).LinkTarget is null)
                {
                    // Through BeneathDirectory: a link a fetched archive planted on the way is refused, not followed.
                    using var sandbox = Linux.BeneathDirectory.Open(context.Sandbox);
                    try
                    {
                        sandbox.CreateSymlink(volume.ContainerPath, host);
                    }
                    catch (IOException e)
                    {
                        throw Invalid($"volume containerPath '{volume.ContainerPath}': {e.Message}");
                    }
                }
                context.SandboxLinks.Add((volume.ContainerPath, host));
            }
        }
        return Task.CompletedTask;
    }

    public Task RecoverAsync(LaunchContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    // Persistent data outlives the task by design; it is destroyed only when the app's reservation is released.
    public Task ReleaseAsync(LaunchContext context) => Task.CompletedTask;

    private string HostDirectory(LaunchContext context, TaskVolume volume)
    {
        string host;
        if (volume.PersistentId is { } id)
        {
            host = volumes.Prepare(id, context.Launch.User);
        }
        else if (volume.HostPath is { Length: > 0 } path)
        {
            host = Path.IsPathRooted(path) ? Path.GetFullPath(path) : context.InSandbox(path);
        }
        else
        {
            throw Invalid($"volume '{volume.ContainerPath}' has neither a hostPath nor a persistent volume");
        }
        if (!Directory.Exists(host) && !File.Exists(host))
        {
            // As Docker does for a missing host path: create it as a directory.
            Directory.CreateDirectory(host);
        }
        return host;
    }

    private static string ContainerTarget(string containerPath)
    {
        var target = Path.IsPathRooted(containerPath) ? containerPath : ContainerSandbox + "/" + containerPath;
        var full = Path.GetFullPath(target);
        if (full == "/" || (!Path.IsPathRooted(containerPath) && !full.StartsWith(ContainerSandbox + "/", StringComparison.Ordinal)))
        {
            throw Invalid($"volume containerPath '{containerPath}' is not a usable mount point");
        }
        return full;
    }

    private static LaunchStepException Invalid(string why) => new(TaskState.Error, TaskReasons.InvalidTask, "Invalid launch: " + why);
}
