using System.Text.Json;
using System.Text.Json.Nodes;
using Harrier.Api.Apps;
using Harrier.Api.Errors;
using Harrier.Core.Apps;
using Harrier.Core.Ids;
using Xunit;

namespace Harrier.Api.Tests.Apps;

/// <summary>Test helpers: bodies written with single quotes for readability, read through the public API.</summary>
internal static class AppJson
{
    public static JsonElement Parse(string json) => JsonDocument.Parse(json.Replace('\'', '"')).RootElement.Clone();

    public static AppReadResult Read(string json, AppReadContext? context = null, PathId? pathId = null) =>
        AppDefinitionReader.ReadApp(Parse(json), pathId, context ?? new AppReadContext());

    public static AppSpec ReadOk(string json, AppReadContext? context = null)
    {
        var result = Read(json, context);
        if (result is AppReadFailed failed)
        {
            Assert.Fail($"expected success, got {failed.Error.ToJson().ToJsonString()}");
        }
        return Assert.IsType<AppReadOk>(result).App;
    }

    public static ApiError ReadFailed(string json, AppReadContext? context = null)
    {
        var result = Read(json, context);
        return Assert.IsType<AppReadFailed>(result).Error;
    }

    /// <summary>The errors reported at <paramref name="path"/> in a 422 <c>details</c> array.</summary>
    public static IReadOnlyList<string> ErrorsAt(ApiError error, string path)
    {
        var details = Assert.IsType<JsonArray>(error.Details);
        return details.OfType<JsonObject>()
            .Where(d => (string?)d["path"] == path)
            .SelectMany(d => d["errors"]!.AsArray().Select(e => (string)e!))
            .ToList();
    }

    public static string Describe(ApiError error) => error.ToJson().ToJsonString();

    public static JsonObject Written(AppSpec app) => AppJsonWriter.ToJson(app);
}
