namespace Harrier.Cli.Tests;

/// <summary>Marathon's own REST examples (copied into Examples/), used as canned answers.</summary>
public static class Examples
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Examples", name));
}
