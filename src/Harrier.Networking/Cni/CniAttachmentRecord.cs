namespace Harrier.Networking.Cni;

/// <summary>
/// One CNI attachment as the runtime remembers it (libcni's result cache): whose it is, which network (with the
/// configuration it was added with), the runtime arguments, and the ADD's result — null while the ADD has not
/// finished, so an attachment cut short by a crash is still known and gets its DEL.
/// </summary>
public sealed record CniAttachmentRecord(
    string Owner,
    string Network,
    string ContainerId,
    string IfName,
    string NetnsPath,
    IReadOnlyList<CniPortMapping> PortMappings,
    string Config,
    string? Result)
{
    public CniRuntimeArgs Args => new(ContainerId, NetnsPath, IfName, PortMappings);
}
