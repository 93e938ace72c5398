namespace Harrier.Protocol;

public sealed record LaunchTaskCommand(TaskLaunch Launch) : AgentCommand;
