using Harrier.Core.Time;
using Harrier.Scheduling;

namespace Harrier.Server.Cluster;

/// <summary>A launch backoff, valid only for the config version it was computed for (scaling keeps it, a config change resets it).</summary>
public sealed record AppDelay(Timestamp ConfigVersion, LaunchDelay Delay);
