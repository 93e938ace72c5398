namespace Harrier.Scheduling;

/// <summary>What an app change means for its running instances.</summary>
public enum AppChangeClass
{
    /// <summary>Nothing Marathon acts on changed (identical, or only <c>executorResources</c>/version bookkeeping).</summary>
    None,

    /// <summary>The app did not exist before.</summary>
    New,

    /// <summary>The app no longer exists.</summary>
    Removed,

    /// <summary>Only <c>instances</c> changed.</summary>
    Scale,

    /// <summary>
    /// Harrier's opt-in (label <see cref="AppChangeClassifier.InPlaceUpdateLabel"/>): the changes apply to running
    /// instances without replacing them. <c>instances</c> may have changed too (see <see cref="AppChangeSummary.InstancesChanged"/>).
    /// </summary>
    InPlace,

    /// <summary>Marathon's <c>isUpgrade</c>: instances are replaced by a rolling restart.</summary>
    Restart,
}
