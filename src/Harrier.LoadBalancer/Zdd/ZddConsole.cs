using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Harrier.LoadBalancer.Zdd;

/// <summary>
/// zdd's terminal: the new app JSON on stdout (sorted keys, as zdd.py printed it, so <c>--dry-run &gt; app.json</c>
/// works), progress lines on stderr (a waiting reason only when it changes), and the yes/no questions zdd.py asked
/// before deploying, killing and deleting (skipped by <c>--force</c>; end of input answers no).
/// </summary>
internal sealed class ZddConsole(TextWriter stdout, TextWriter stderr, TextReader stdin, bool force)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private string? _lastWaiting;

    public async Task PrintAppAsync(JsonObject app)
    {
        await stdout.WriteLineAsync(Sorted(app)!.ToJsonString(Indented));
        await stdout.FlushAsync();
    }

    public async Task ProgressAsync(string line)
    {
        _lastWaiting = null;
        await stderr.WriteLineAsync("zdd: " + line);
        await stderr.FlushAsync();
    }

    /// <summary>A waiting reason, written only when it differs from the last one.</summary>
    public async Task WaitingAsync(string reason)
    {
        if (reason != _lastWaiting)
        {
            await ProgressAsync("waiting: " + reason);
            _lastWaiting = reason;
        }
    }

    /// <summary>Yes unless the operator says no; three unreadable answers or the end of input are a no.</summary>
    public async Task<bool> ConfirmAsync(string question, CancellationToken ct)
    {
        if (force)
        {
            return true;
        }
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await stdout.WriteAsync(question + " [Y/n] ");
            await stdout.FlushAsync(ct);
            var answer = await stdin.ReadLineAsync(ct);
            switch (answer?.Trim().ToLowerInvariant())
            {
                case null:
                    await stdout.WriteLineAsync();
                    return false;
                case "" or "y" or "ye" or "yes":
                    return true;
                case "n" or "no":
                    return false;
            }
            await stdout.WriteLineAsync("Please respond with 'yes' or 'no' (or 'y' or 'n').");
        }
        return false;
    }

    /// <summary>A copy with every object's keys in ordinal order (Python's sort_keys).</summary>
    public static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Sorted)]),
        _ => node?.DeepClone(),
    };
}
