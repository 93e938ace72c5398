using System.Text.Json;
using Harrier.Testing;
using Xunit;

namespace Harrier.Api.Tests.Conformance;

/// <summary>
/// Marathon's RAML types from <c>shared/marathon-examples/types</c> (not in the repository; a missing folder skips
/// the calling test naming it and <c>HARRIER_SHARED</c>, and fails it with <c>CI=true</c>), with this folder's
/// <c>MarathonShapes.raml</c> (answers and events Marathon sends that its RAML names no type for) and
/// <c>HarrierExtensions.raml</c> (Harrier's opt-in additions).
/// </summary>
internal static class MarathonSchemas
{
    private static readonly Lazy<RamlTypes> Loaded = new(() =>
    {
        var types = new RamlTypes();
        types.LoadFolder(Path.Combine(SharedData.Root, "marathon-examples", "types"));
        types.Load(Path.Combine(AppContext.BaseDirectory, "Conformance", "MarathonShapes.raml"));
        types.Load(Path.Combine(AppContext.BaseDirectory, "Conformance", "HarrierExtensions.raml"));
        return types;
    });

    public static RamlTypes Types
    {
        get
        {
            if (SharedData.Folder("marathon-examples", out var skip) is null)
            {
                Assert.Skip(skip!);
            }
            return Loaded.Value;
        }
    }

    /// <summary>Violations of <paramref name="json"/> against <paramref name="type"/> (a type expression as
    /// <c>MarathonShapes.raml</c> reads it, e.g. <c>app.AppList</c>, <c>AppSingle</c>, <c>HarrierInfo</c>).</summary>
    public static IReadOnlyList<string> Violations(string json, string type, bool nullForOptional = false)
    {
        var file = type.StartsWith("Harrier", StringComparison.Ordinal) || type is "WaitReason" or "deployment_waiting_event" or "health_kill_circuit_breaker_event"
            ? "HarrierExtensions.raml"
            : "MarathonShapes.raml";
        using var doc = JsonDocument.Parse(json);
        return new RamlValidator(Types, nullForOptional).Validate(doc.RootElement, Types.Ref(file, type));
    }

    /// <summary>Fails with every violation and the JSON when <paramref name="json"/> is not exactly <paramref name="type"/>.</summary>
    public static void AssertConforms(string json, string type, string what, bool nullForOptional = false)
    {
        var violations = Violations(json, type, nullForOptional);
        Assert.True(violations.Count == 0, $"{what} is not Marathon's {type}:\n  {string.Join("\n  ", violations.Take(30))}\n{Truncate(json)}");
    }

    private static string Truncate(string json) => json.Length > 3000 ? json[..3000] + "…" : json;
}
