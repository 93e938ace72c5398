using Harrier.Core.Collections;
using Harrier.Core.Ids;

namespace Harrier.Protocol;

/// <summary>
/// The instance's reservation is gone (its app was deleted, or it was killed with <c>wipe</c>): the agent deletes the
/// data of these persistent volumes (their <c>LocalVolumeId</c>s). Idempotent; a volume the agent does not have is
/// ignored.
/// </summary>
public sealed record DestroyVolumesCommand(InstanceId InstanceId, ValueList<string> VolumeIds) : AgentCommand;
