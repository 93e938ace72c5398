namespace Harrier.Linux;

/// <summary>
/// A process to start in a new session: <paramref name="Argv"/>[0] is an absolute path, the environment is exactly
/// <paramref name="Environment"/>, stdin is /dev/null and stdout/stderr are appended to the given files.
/// </summary>
public sealed record SpawnRequest(
    IReadOnlyList<string> Argv,
    IReadOnlyDictionary<string, string> Environment,
    string WorkingDirectory,
    string StdoutPath,
    string StderrPath);
