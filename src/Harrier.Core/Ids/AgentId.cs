namespace Harrier.Core.Ids;

/// <summary>An agent's id, stable across agent restarts (it is checkpointed in the agent's work dir).</summary>
public readonly record struct AgentId(string Value)
{
    public override string ToString() => Value;
}
