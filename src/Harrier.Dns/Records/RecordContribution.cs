namespace Harrier.Dns.Records;

/// <summary>
/// The records one source adds — one task, one agent, one framework, the masters — under a stable key, so an
/// incremental <see cref="RecordBook"/> can add and withdraw exactly them. <see cref="Framework"/> and
/// <see cref="Task"/> say what Mesos-DNS's <c>/v1/enumerate</c> lists them under.
/// </summary>
public sealed record RecordContribution(string Key, IReadOnlyList<DnsRecord> Records)
{
    /// <summary>The framework name this contribution belongs to (tasks and frameworks); null otherwise.</summary>
    public string? Framework { get; init; }

    /// <summary>The task (name, id) this contribution comes from; null for non-task records.</summary>
    public (string Name, string Id)? Task { get; init; }
}
