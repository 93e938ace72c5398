namespace Harrier.Agent.Launch.Networks;

/// <summary>What a task got on one network: its addresses there (reported as the task's <c>ipAddresses</c>).</summary>
internal sealed record NetworkAttachment(IReadOnlyList<string> IpAddresses);
