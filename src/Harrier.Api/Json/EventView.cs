using Harrier.Api.Security;
using Harrier.Server.Cluster;

namespace Harrier.Api.Json;

/// <summary>
/// What one subscriber's events are rendered against: its principal (heavy plans show only the apps it may read), the
/// live snapshot (the apps a plan does not touch), and whether plans are heavy (<c>plan-format</c>).
/// </summary>
internal sealed record EventView(ClusterSnapshot Snapshot, Principal Principal, bool FullPlans);
