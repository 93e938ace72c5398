using Harrier.Api.Errors;
using Harrier.Core.Ids;

namespace Harrier.Api.Apps;

/// <summary>
/// Length limits on app ids, so that every name derived from one fits where it goes. An app's task id
/// (<c>safePath.instance-UUID._app.N</c>) names the task's sandbox and checkpoint directories, its cgroup, its OCI
/// container and bundle directory; each of those is one path component, at most 255 bytes on Linux (NAME_MAX). A
/// persistent volume's id (<c>safePath#containerPath#UUID</c>) names its data directory the same way. Marathon has no
/// limit of its own (Mesos failed such tasks at launch); DNS names derived from ids are cut to 63 characters per label
/// (see the LB/DNS spec), so they need none.
/// </summary>
internal static class IdLimits
{
    /// <summary>Longest canonical app id (with its leading <c>/</c>).</summary>
    public const int MaxIdLength = 190;

    /// <summary>Longest file name on Linux file systems.</summary>
    public const int NameMax = 255;

    /// <summary>What a persistent volume id adds to the app's safe path: two <c>#</c> and the instance's uuid.</summary>
    private const int VolumeIdOverhead = 2 + 36;

    public static readonly string TooLongMessage =
        $"must be at most {MaxIdLength} characters long (task, sandbox, cgroup and container names made from it must fit in {NameMax})";

    /// <summary>A violation on <c>/id</c> when the canonical id is too long.</summary>
    public static Violation? Check(PathId canonical) =>
        canonical.Value.Length > MaxIdLength ? new Violation("/id", TooLongMessage) : null;

    /// <summary>Violations for persistent volumes whose id (and so data directory name) would not fit.</summary>
    public static IEnumerable<Violation> CheckVolumes(PathId canonical, IReadOnlyList<(int Index, string ContainerPath)> persistent)
    {
        foreach (var (index, containerPath) in persistent)
        {
            var length = canonical.SafePath.Length + containerPath.Length + VolumeIdOverhead;
            if (length > NameMax)
            {
                yield return new Violation(
                    $"/container/volumes({index})/containerPath",
                    $"the persistent volume id (app id, containerPath and a uuid) would be {length} characters; at most {NameMax} fit");
            }
        }
    }
}
