using System.Text.Json;
using Harrier.Api.Errors;
using Microsoft.AspNetCore.Http;

namespace Harrier.Api.Http;

/// <summary>Reads a JSON request body: empty → 400 "Please specify data in JSON format"; broken → 400 "Invalid JSON".</summary>
internal static class RequestBody
{
    public const int MaxBytes = 4 * 1024 * 1024;

    public static async Task<(JsonDocument? Document, ApiError? Error)> ReadAsync(HttpContext context)
    {
        using var memory = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            memory.Write(buffer, 0, read);
            if (memory.Length > MaxBytes)
            {
                return (null, new ApiError(413, "Request body too large"));
            }
        }
        if (memory.Length == 0 || memory.ToArray().All(b => b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t'))
        {
            return (null, ApiError.EmptyBody());
        }
        try
        {
            return (JsonDocument.Parse(memory.ToArray(), new JsonDocumentOptions { MaxDepth = 64 }), null);
        }
        catch (JsonException e)
        {
            return (null, ApiError.InvalidJson(e.Message));
        }
    }
}
