using System.Text.Json;
using System.Text.Json.Nodes;

namespace Harrier.Cli;

/// <summary>Reads a Marathon JSON definition from a file, or from standard input when the name is <c>-</c>.</summary>
internal static class DefinitionReader
{
    public static JsonObject Read(string file, TextReader stdin)
    {
        var source = file == "-" ? "standard input" : file;
        string text;
        try
        {
            text = file == "-" ? stdin.ReadToEnd() : File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliInputException($"cannot read {source}: {e.Message}", e);
        }
        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip }) as JsonObject
                ?? throw new CliInputException($"{source} must hold one JSON object (an app definition)");
        }
        catch (JsonException e)
        {
            throw new CliInputException($"{source} is not valid JSON: {e.Message}", e);
        }
    }
}
