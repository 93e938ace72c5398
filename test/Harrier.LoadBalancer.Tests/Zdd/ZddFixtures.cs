using System.Text.Json.Nodes;
using Harrier.Testing;
using Xunit;

namespace Harrier.LoadBalancer.Tests.Zdd;

/// <summary>The zdd golden cases in shared/lb-fixtures/marathon-lb/zdd (not in the repository; HARRIER_SHARED).</summary>
internal static class ZddFixtures
{
    public const string Folder = "lb-fixtures/marathon-lb/zdd";

    /// <summary>The case folder, or a skip (a failure when CI=true) naming the folder and HARRIER_SHARED.</summary>
    public static string Path(string sub)
    {
        var root = SharedData.Folder(Folder, out var skip);
        if (root is null)
        {
            Assert.Skip(skip!);
        }
        return System.IO.Path.Combine(root, sub);
    }

    public static JsonNode Json(string sub, string file) => JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(Path(sub), file)))!;

    public static string Text(string sub, string file) => File.ReadAllText(System.IO.Path.Combine(Path(sub), file));
}
