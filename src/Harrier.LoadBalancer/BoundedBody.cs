using System.Text;

namespace Harrier.LoadBalancer;

/// <summary>Reads a remote party's HTTP body as UTF-8 text without ever holding more than a limit of it.</summary>
internal static class BoundedBody
{
    /// <summary>The body, or null when it is longer than <paramref name="maxBytes"/> (reading stops there).</summary>
    public static async Task<string?> ReadAsync(HttpContent content, long maxBytes, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        using var memory = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (memory.Length + read > maxBytes)
            {
                return null;
            }
            memory.Write(chunk, 0, read);
        }
        return Encoding.UTF8.GetString(memory.GetBuffer(), 0, (int)memory.Length);
    }
}
