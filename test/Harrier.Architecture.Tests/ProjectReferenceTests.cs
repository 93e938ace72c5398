using System.Xml.Linq;
using Harrier.Testing;
using Xunit;

namespace Harrier.Architecture.Tests;

/// <summary>References point one way (architecture.md §6): a new edge not listed here fails the build.</summary>
public sealed class ProjectReferenceTests
{
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Harrier.Core"] = [],
        ["Harrier.Scheduling"] = ["Harrier.Core"],
        ["Harrier.State"] = ["Harrier.Core"],
        ["Harrier.Protocol"] = ["Harrier.Core"],
        ["Harrier.Linux"] = [],
        ["Harrier.Drivers"] = ["Harrier.Core", "Harrier.Linux"],
        ["Harrier.Networking"] = ["Harrier.Core", "Harrier.Linux"],
        ["Harrier.Dns"] = ["Harrier.Core"],
        ["Harrier.LoadBalancer"] = ["Harrier.Core"],
        ["Harrier.Agent"] = ["Harrier.Core", "Harrier.Protocol", "Harrier.Drivers", "Harrier.Linux", "Harrier.Networking"],
        ["Harrier.Server"] = ["Harrier.Core", "Harrier.Scheduling", "Harrier.State", "Harrier.Protocol", "Harrier.Dns"],
        ["Harrier.Api"] = ["Harrier.Core", "Harrier.Server", "Harrier.Protocol", "Harrier.Scheduling", "Harrier.State", "Harrier.Dns"],
        ["Harrier.Client"] = [],
        ["Harrier.Cli"] = ["Harrier.Client"],
        ["Harrier.Host"] = ["*"],
    };

    public static TheoryData<string> SourceProjects() =>
        [.. Directory.GetDirectories(Path.Combine(RepoPaths.Root, "src")).Select(Path.GetFileName).OfType<string>()];

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void Project_References_OnlyAllowedEdges(string project)
    {
        Assert.True(Allowed.ContainsKey(project), $"{project} is not in the architecture's project list");
        var csproj = XDocument.Load(Path.Combine(RepoPaths.Root, "src", project, project + ".csproj"));
        var references = csproj.Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value))
            .ToList();
        var allowed = Allowed[project];
        if (allowed.Contains("*"))
        {
            return;
        }
        var wrong = references.Except(allowed).ToList();
        Assert.True(wrong.Count == 0, $"{project} references {string.Join(", ", wrong)}, which architecture.md does not allow");
    }

    [Fact]
    public void Core_HasNoPackageReferences_StaysPure()
    {
        var csproj = XDocument.Load(Path.Combine(RepoPaths.Root, "src", "Harrier.Core", "Harrier.Core.csproj"));
        Assert.Empty(csproj.Descendants("PackageReference"));
        Assert.Empty(csproj.Descendants("FrameworkReference"));
    }

    [Fact]
    public void Files_AreUnder1000Lines()
    {
        var tooLong = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .Select(f => (File: f, Lines: File.ReadLines(f).Count()))
            .Where(x => x.Lines > 1000)
            .ToList();
        Assert.True(tooLong.Count == 0, "Files over 1,000 lines: " + string.Join(", ", tooLong.Select(t => $"{t.File} ({t.Lines})")));
    }
}
