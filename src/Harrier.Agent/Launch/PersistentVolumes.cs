using Harrier.Linux;

namespace Harrier.Agent.Launch;

/// <summary>
/// The data of persistent local volumes on this agent, one directory per volume id under <c>WORK_DIR/volumes</c>.
/// Ids come from the server; one that could name anything but a single directory there is refused, so a hostile
/// or corrupt command cannot reach outside.
/// </summary>
internal sealed class PersistentVolumes(string root)
{
    public string Root { get; } = root;

    /// <summary>The volume's directory, or null for an id that is not a plain directory name.</summary>
    public string? DirectoryOf(string volumeId) =>
        volumeId.Length is 0 or > 255 || volumeId is "." or ".." || volumeId.Contains('/') || volumeId.Contains('\0')
            ? null
            : Path.Combine(Root, volumeId);

    /// <summary>Creates the volume's directory if it is new, owned by the task's user (as Mesos does).</summary>
    public string Prepare(string volumeId, string? user)
    {
        var dir = DirectoryOf(volumeId) ?? throw new LaunchStepException(
            Core.Instances.TaskState.Error, TaskReasons.InvalidTask, $"Invalid launch: persistent volume id '{volumeId}' is not usable");
        if (!Directory.Exists(dir))
        {
            Directory.CreateDirectory(dir);
            if (user is not null && UnixUser.IsRoot && UnixUser.Find(user) is { } owner)
            {
                owner.Own(dir);
            }
        }
        return dir;
    }

    /// <summary>Deletes the volumes' data; unknown or unusable ids are ignored. Returns how many were deleted.</summary>
    public int Destroy(IEnumerable<string> volumeIds)
    {
        var deleted = 0;
        foreach (var id in volumeIds)
        {
            if (DirectoryOf(id) is { } dir && Directory.Exists(dir) && new DirectoryInfo(dir).LinkTarget is null)
            {
                Directory.Delete(dir, recursive: true);
                deleted++;
            }
        }
        return deleted;
    }
}
