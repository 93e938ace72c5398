namespace Harrier.Drivers.Oci;

/// <summary>The user a container's process runs as, resolved against the container's own account files.</summary>
internal sealed record ContainerUser(uint Uid, uint Gid, IReadOnlyList<uint> AdditionalGids, string Home)
{
    public static ContainerUser Root { get; } = new(0, 0, [], "/root");
}
