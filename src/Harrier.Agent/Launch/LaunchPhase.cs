namespace Harrier.Agent.Launch;

/// <summary>Which task state a launch step runs in.</summary>
internal enum LaunchPhase
{
    Staging,
    Starting,
}
