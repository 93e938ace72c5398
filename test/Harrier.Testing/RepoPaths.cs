namespace Harrier.Testing;

/// <summary>Locates the repository (the folder with Harrier.slnx) and the shared fixtures beside it.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary><c>../shared</c> relative to the repository, as in CI.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Harrier.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Harrier.slnx not found above " + AppContext.BaseDirectory);
    }
}
