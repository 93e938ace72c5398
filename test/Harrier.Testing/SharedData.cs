namespace Harrier.Testing;

/// <summary>
/// Golden data from the project's <c>shared/</c> folder, which is not in the repository: found at <c>../shared</c>
/// beside the checkout (as in CI) or wherever <c>HARRIER_SHARED</c> points. A clone without it skips the tests that
/// need it (saying which folder and the variable); with <c>CI=true</c> they fail instead.
/// </summary>
public static class SharedData
{
    public const string Variable = "HARRIER_SHARED";

    /// <summary>The shared folder in use (it may not exist).</summary>
    public static string Root => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } custom ? Path.GetFullPath(custom) : RepoPaths.Shared;

    /// <summary>The path of <paramref name="folder"/> under shared/, or null with a skip reason when it is missing.</summary>
    public static string? Folder(string folder, out string? skipReason)
    {
        var path = Path.Combine(Root, folder);
        if (Directory.Exists(path))
        {
            skipReason = null;
            return path;
        }
        skipReason = Requirements.Missing(false, $"the golden data folder {path} (shared/{folder}, not in the repository; set {Variable} to a copy of shared/)");
        return null;
    }
}
