namespace Harrier.Testing;

/// <summary>
/// Preconditions of tests that need root or a system binary. Locally a missing one skips the test; when
/// <c>CI=true</c> it fails instead, so CI can never silently skip.
/// </summary>
public static class Requirements
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static bool IsRoot => Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root";

    /// <summary>Returns a reason when the requirement is missing and the test should skip; throws in CI.</summary>
    public static string? Missing(bool condition, string what)
    {
        if (condition)
        {
            return null;
        }
        if (InCi)
        {
            throw new InvalidOperationException($"CI=true and this test needs {what}");
        }
        return $"needs {what}";
    }

    public static string? Root() => Missing(IsRoot, "root");

    public static string? Binary(string name) =>
        Missing((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, name))), $"the '{name}' binary");
}
