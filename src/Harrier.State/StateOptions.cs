namespace Harrier.State;

public sealed class StateOptions
{
    /// <summary>Directory of the embedded store (<c>state.db</c> inside it).</summary>
    public string DataDir { get; set; } = ".harrier";

    /// <summary>Stored versions kept per app (Marathon's <c>--zk_max_versions</c>, default 50).</summary>
    public int MaxVersions { get; set; } = 50;

    /// <summary>
    /// <c>--recover-from-agents</c>: a missing, empty or corrupt <c>state.db</c> next to earlier state starts an empty
    /// store (a damaged file is moved aside) instead of refusing to start.
    /// </summary>
    public bool RecoverFromAgents { get; set; }

    /// <summary>Files or directories that show this data directory held state before (e.g. the local agent's id file).</summary>
    public IReadOnlyList<string> OtherState { get; set; } = [];
}
