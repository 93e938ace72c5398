using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Harrier.LoadBalancer.Draining;

/// <summary>
/// The balancer's side of Harrier's balancer registry (<c>/harrier/v1/balancers</c>): register (and refresh the
/// lease), long-poll the tasks awaiting this balancer's drain, confirm them. A Marathon has no such registry: a 404 or
/// 405 on registration says so (<see cref="RegistryMissingException"/>).
/// </summary>
internal sealed class BalancerRegistry(HttpClient http, Func<Uri> server, string id)
{
    /// <summary>The longest a drain poll is asked to wait (well inside the server's 15 s lease).</summary>
    public const int PollSeconds = 10;

    private Uri Base => new(server(), $"harrier/v1/balancers/{Uri.EscapeDataString(id)}");

    public async Task RegisterAsync(IReadOnlyList<string> groups, string? statsUrl, CancellationToken ct)
    {
        var body = new JsonObject { ["groups"] = new JsonArray([.. groups.Select(g => (JsonNode)g)]) };
        if (statsUrl is not null)
        {
            body["statsUrl"] = statsUrl;
        }
        using var cts = Timeout(TimeSpan.FromSeconds(10), ct);
        using var response = await http.PutAsync(Base, JsonContent.Create(body), cts.Token);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
        {
            throw new RegistryMissingException($"{server()} has no balancer registry ({(int)response.StatusCode})");
        }
        await EnsureAsync(response, "registering", cts.Token);
    }

    /// <summary>The tasks awaiting this balancer; null when the server no longer knows it (register again).</summary>
    public async Task<IReadOnlyList<DrainRequest>?> PollAsync(CancellationToken ct)
    {
        using var cts = Timeout(TimeSpan.FromSeconds(PollSeconds + 10), ct);
        using var response = await http.GetAsync(new Uri(Base + $"/drains?wait={PollSeconds}"), cts.Token);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        await EnsureAsync(response, "polling drains", cts.Token);
        var text = await response.Content.ReadAsStringAsync(cts.Token);
        return Parse(text);
    }

    public async Task ConfirmAsync(IReadOnlyList<string> taskIds, CancellationToken ct)
    {
        var body = new JsonObject { ["taskIds"] = new JsonArray([.. taskIds.Select(t => (JsonNode)t)]) };
        using var cts = Timeout(TimeSpan.FromSeconds(10), ct);
        using var response = await http.PostAsync(new Uri(Base + "/drains"), JsonContent.Create(body), cts.Token);
        await EnsureAsync(response, "confirming drains", cts.Token);
    }

    public async Task DeregisterAsync(CancellationToken ct)
    {
        using var cts = Timeout(TimeSpan.FromSeconds(5), ct);
        using var response = await http.DeleteAsync(Base, cts.Token);
    }

    /// <summary>Reads a drains body defensively: anything but <c>{"drains":[{"taskId":"…","appId":"…"}]}</c> is skipped.</summary>
    internal static IReadOnlyList<DrainRequest> Parse(string text)
    {
        var list = new List<DrainRequest>();
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("drains", out var drains) || drains.ValueKind != JsonValueKind.Array)
            {
                return list;
            }
            foreach (var d in drains.EnumerateArray())
            {
                if (d.ValueKind == JsonValueKind.Object && d.TryGetProperty("taskId", out var task) && task.ValueKind == JsonValueKind.String
                    && task.GetString() is { Length: > 0 and <= 512 } taskId)
                {
                    var app = d.TryGetProperty("appId", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() ?? "" : "";
                    list.Add(new DrainRequest(taskId, app));
                }
            }
        }
        catch (JsonException)
        {
            // A broken body asks for nothing.
        }
        return list;
    }

    private static CancellationTokenSource Timeout(TimeSpan timeout, CancellationToken ct)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        return cts;
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            throw new HttpRequestException($"{what}: {(int)response.StatusCode} {(text.Length > 300 ? text[..300] : text)}");
        }
    }
}
