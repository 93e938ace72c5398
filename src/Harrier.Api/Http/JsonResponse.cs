using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harrier.Api.Errors;
using Microsoft.AspNetCore.Http;

namespace Harrier.Api.Http;

/// <summary>Writes JSON bodies with <see cref="Utf8JsonWriter"/> (no reflection, no intermediate DOM on hot paths).</summary>
internal static class JsonResponse
{
    /// <summary>Marathon (Jackson) escapes only what JSON requires: <c>'</c>, <c>&lt;</c>, <c>&amp;</c> and non-ASCII stay as they are.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteAsync(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    public static Task WriteAsync(HttpContext context, int status, JsonNode node) =>
        WriteAsync(context, status, w => node.WriteTo(w));

    public static Task ErrorAsync(HttpContext context, ApiError error) => WriteAsync(context, error.Status, error.ToJson());

    public static Task MessageAsync(HttpContext context, int status, string message) =>
        WriteAsync(context, status, w =>
        {
            w.WriteStartObject();
            w.WriteString("message", message);
            w.WriteEndObject();
        });
}
