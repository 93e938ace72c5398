using Harrier.Core.Ids;

namespace Harrier.Agent;

/// <summary>
/// Who the agent is: its id, stable across restarts, and the secret that proves it (null for a work dir from before
/// secrets, whose id is not derived from one). Kept in <c>agent.json</c> in the work dir, mode 0600.
/// </summary>
public sealed record AgentIdentity(AgentId Id, string? Secret)
{
    /// <summary>The identity in <paramref name="workDir"/>, made and persisted on first use.</summary>
    public static AgentIdentity LoadOrCreate(string workDir) => new AgentCheckpoint(workDir).LoadOrCreateIdentity();

    public override string ToString() => Id.Value;
}
