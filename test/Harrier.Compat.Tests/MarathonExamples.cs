using System.Text.Json;

namespace Harrier.Compat.Tests;

/// <summary>
/// Locates the verbatim Marathon example files: from the test binary up to the directory holding Harrier.slnx,
/// then <c>../shared/marathon-examples</c>.
/// </summary>
internal static class MarathonExamples
{
    private static readonly Lazy<string> Root = new(Find);

    public static string PathOf(string relative) => Path.Combine(Root.Value, relative);

    public static JsonElement Load(string relative)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(PathOf(relative)));
        return doc.RootElement.Clone();
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Harrier.slnx")))
            {
                var examples = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "marathon-examples"));
                if (Directory.Exists(examples))
                {
                    return examples;
                }
                throw new DirectoryNotFoundException($"Marathon examples not found at {examples}");
            }
        }
        throw new DirectoryNotFoundException("Harrier.slnx not found above " + AppContext.BaseDirectory);
    }
}
