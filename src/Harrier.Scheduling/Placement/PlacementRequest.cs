using Harrier.Core.Apps;
using Harrier.Core.Instances;

namespace Harrier.Scheduling;

/// <summary>
/// Instances of one app to place. <see cref="Existing"/> holds all instances of the app (placed or not); the placer
/// counts the placed, active, current-config ones for constraints and spreading.
/// </summary>
public sealed record PlacementRequest(AppSpec App, IReadOnlyList<Instance> ToPlace, IReadOnlyList<Instance> Existing);
