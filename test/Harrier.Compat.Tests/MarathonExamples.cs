using System.Text.Json;
using Harrier.Testing;
using Xunit;

namespace Harrier.Compat.Tests;

/// <summary>
/// The verbatim Marathon example files in <c>shared/marathon-examples</c> (not in the repository; see
/// <see cref="SharedData"/>). When the folder is missing the calling test is skipped with a message naming it and
/// <c>HARRIER_SHARED</c>; with <c>CI=true</c> it fails instead.
/// </summary>
internal static class MarathonExamples
{
    public const string Folder = "marathon-examples";

    public static string PathOf(string relative)
    {
        var root = SharedData.Folder(Folder, out var skip);
        if (root is null)
        {
            Assert.Skip(skip!);
        }
        return Path.Combine(root, relative);
    }

    public static JsonElement Load(string relative)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(PathOf(relative)));
        return doc.RootElement.Clone();
    }
}
