namespace Harrier.Scheduling;

/// <summary>
/// The class of an app change and the Marathon JSON names of the fields that differ (e.g. <c>cmd</c>,
/// <c>healthChecks</c>, <c>instances</c>), in declaration order. Version bookkeeping is never listed.
/// </summary>
public sealed record AppChangeSummary(AppChangeClass Class, IReadOnlyList<string> ChangedFields)
{
    public bool InstancesChanged => ChangedFields.Contains("instances");

    /// <summary>True when running instances must be replaced.</summary>
    public bool RestartsInstances => Class == AppChangeClass.Restart;
}
