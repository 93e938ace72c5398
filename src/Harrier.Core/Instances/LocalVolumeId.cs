using Harrier.Core.Ids;

namespace Harrier.Core.Instances;

/// <summary>
/// Marathon's id of a persistent local volume (<c>LocalVolumeId</c>): <c>&lt;app safePath&gt;#&lt;containerPath&gt;#&lt;uuid&gt;</c>,
/// with the uuid of the instance that holds the reservation. The agent keeps the volume's data under this id, and
/// the task JSON shows it as <c>persistenceId</c>.
/// </summary>
public static class LocalVolumeId
{
    public static string For(Instance instance, string containerPath) => $"{instance.RunSpecId.SafePath}#{containerPath}#{Uuid(instance.Id)}";

    /// <summary>The uuid part of an instance id (<c>….instance-UUID</c>).</summary>
    public static string Uuid(InstanceId id)
    {
        var value = id.Value;
        var at = value.LastIndexOf(".instance-", StringComparison.Ordinal);
        return at < 0 ? value : value[(at + ".instance-".Length)..];
    }
}
