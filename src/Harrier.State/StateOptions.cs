namespace Harrier.State;

public sealed class StateOptions
{
    /// <summary>Directory of the embedded store (<c>state.db</c> inside it).</summary>
    public string DataDir { get; set; } = ".harrier";

    /// <summary>Stored versions kept per app (Marathon's <c>--zk_max_versions</c>, default 50).</summary>
    public int MaxVersions { get; set; } = 50;
}
