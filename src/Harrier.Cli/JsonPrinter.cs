using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Harrier.Cli;

/// <summary>Pretty-prints what the server sent for <c>--json</c>; non-ASCII and HTML characters stay readable.</summary>
internal static class JsonPrinter
{
    private static readonly JsonSerializerOptions Pretty = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(TextWriter output, JsonNode node) => output.WriteLine(node.ToJsonString(Pretty));
}
