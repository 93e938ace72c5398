using Harrier.Core.Time;

namespace Harrier.Scheduling;

/// <summary>
/// The launch backoff of one app config (spec §10). <see cref="ConfigVersion"/> is the app's <c>lastConfigChangeAt</c>
/// the delay belongs to: a config change or restart starts from zero, a scale keeps the delay.
/// </summary>
public sealed record LaunchDelay(TimeSpan Delay, Timestamp Deadline, Timestamp ReferenceTime, Timestamp ConfigVersion = default);
