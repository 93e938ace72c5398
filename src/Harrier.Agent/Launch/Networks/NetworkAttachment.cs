namespace Harrier.Agent.Launch.Networks;

/// <summary>What a task got on one network: its addresses there (reported as the task's <c>ipAddresses</c>).</summary>
/// <param name="Gateway">The task's resolver when the agent forwards task DNS (<c>--task-dns</c>): its gateway on this network.</param>
internal sealed record NetworkAttachment(IReadOnlyList<string> IpAddresses, string? Gateway = null);
