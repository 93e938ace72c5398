using Harrier.Core.Collections;
using Harrier.Core.Time;

namespace Harrier.Server.Cluster;

/// <summary>
/// Harrier: why something is waiting, as data — a deployment action or a queued app. <see cref="Type"/> is one of
/// <c>InsufficientResources</c>, <c>Backoff</c>, <c>ImagePullFailed</c>, <c>HealthFailing</c>, <c>ReadinessPending</c>, <c>Starting</c>,
/// <c>Killing</c>, <c>CannotComplete</c>; <see cref="Details"/> carries its fields (e.g. <c>resources</c>,
/// <c>until</c>, <c>check</c>, <c>lastOutput</c>). <see cref="Since"/> is when this reason began to hold.
/// </summary>
public sealed record WaitReason(string Type, Timestamp Since, string Message, ValueMap<string> Details)
{
    public static WaitReason Of(string type, Timestamp now, string message, params (string Key, string Value)[] details) =>
        new(type, now, message, new ValueMap<string>(details.ToDictionary(d => d.Key, d => d.Value)));

    /// <summary>This reason, keeping the earlier one's start when it is the same kind of wait.</summary>
    public WaitReason Continuing(WaitReason? previous) =>
        previous is not null && previous.Type == Type ? this with { Since = previous.Since } : this;

    /// <summary>Same wait, ignoring when it began (decides whether an event is due).</summary>
    public bool SameAs(WaitReason? other) => other is not null && other.Type == Type && other.Message == Message;
}
