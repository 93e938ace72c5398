using Harrier.Core.Time;

namespace Harrier.Core.Apps;

/// <summary>
/// Marathon's version bookkeeping: <see cref="Version"/> is the time of the last change of any kind,
/// <see cref="LastScalingAt"/> of the last scale or config change, <see cref="LastConfigChangeAt"/> of the last
/// change that restarts instances. <see cref="RestartRequested"/> is Marathon's "NoVersion" marker set by restart.
/// </summary>
public sealed record VersionInfo(Timestamp Version, Timestamp LastScalingAt, Timestamp LastConfigChangeAt, bool RestartRequested = false)
{
    public static VersionInfo None { get; } = new(Timestamp.Zero, Timestamp.Zero, Timestamp.Zero);

    public bool IsStored => Version != Timestamp.Zero;

    public static VersionInfo ForNew(Timestamp t) => new(t, t, t);
}
