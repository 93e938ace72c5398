using System.Net;
using System.Text.Json.Nodes;
using Harrier.Dns.Records;
using Harrier.Dns.Zones;

namespace Harrier.Host;

/// <summary>
/// The zone of a Harrier server, for <c>harrier dns</c> on another host: fetched whole from
/// <c>/harrier/v1/dns/records</c> at start, again whenever the server's event stream says something changed (at most
/// every 100 ms), and every 30 s regardless. A failed fetch keeps the last zone (stale answers beat none).
/// </summary>
internal sealed class RemoteZoneSource(HttpClient http, Uri server, TextWriter log) : IZoneSource, IDisposable
{
    private volatile ZoneSnapshot _zone = ZoneSnapshot.Empty;
    private readonly SemaphoreSlim _changed = new(0, 1);

    public ZoneSnapshot Current => _zone;

    public void Dispose() => _changed.Dispose();

    /// <summary>Parses a <c>/harrier/v1/dns/records</c> body into a zone. Malformed entries are skipped.</summary>
    public static ZoneSnapshot Parse(JsonNode body)
    {
        var serial = body["serial"]?.GetValue<uint>() ?? 0;
        var zones = new List<ZoneAuthority>();
        foreach (var z in body["zones"]?.AsArray() ?? [])
        {
            if (z?["origin"]?.GetValue<string>() is { Length: > 0 } origin)
            {
                var mname = z["mname"]?.GetValue<string>() ?? "ns1." + origin;
                zones.Add(new ZoneAuthority(origin, z["ttl"]?.GetValue<uint>() ?? 60, mname, z["rname"]?.GetValue<string>() ?? "root." + mname, serial) { NameServers = [mname] });
            }
        }
        var records = new List<DnsRecord>();
        foreach (var r in body["records"]?.AsArray() ?? [])
        {
            var name = r?["name"]?.GetValue<string>();
            var value = r?["value"]?.GetValue<string>();
            if (name is null || value is null || !name.EndsWith('.'))
            {
                continue;
            }
            var kind = r!["type"]?.GetValue<string>() switch { "A" => RecordKind.A, "AAAA" => RecordKind.Aaaa, "SRV" => RecordKind.Srv, _ => (RecordKind?)null };
            if (kind is { } k && (k == RecordKind.Srv || IPAddress.TryParse(value, out _)))
            {
                records.Add(new DnsRecord(name.ToLowerInvariant(), k, value));
            }
        }
        return RecordBook.Empty().Set(new RecordContribution("server", records)).ToZone(zones);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _ = FollowEventsAsync(cancellationToken);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(server, "/harrier/v1/dns/records"), cancellationToken);
                response.EnsureSuccessStatusCode();
                var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) ?? throw new FormatException("empty body");
                _zone = Parse(body);
            }
            catch (Exception e) when (e is HttpRequestException or FormatException or System.Text.Json.JsonException or InvalidOperationException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                await log.WriteLineAsync($"harrier dns: fetching the names from {server} failed ({e.Message}); serving the last ones");
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            try
            {
                await _changed.WaitAsync(timeout.Token);
                await Task.Delay(100, cancellationToken);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The periodic refresh.
            }
        }
    }

    /// <summary>Every event means "fetch again" (a status update, a deployment step, a VIP change all arrive as one).</summary>
    private async Task FollowEventsAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server, "/v2/events?event_type=status_update_event&event_type=instance_health_changed_event&event_type=deployment_step_success&event_type=app_terminated_event"));
                request.Headers.Accept.ParseAdd("text/event-stream");
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                response.EnsureSuccessStatusCode();
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
                while (await reader.ReadLineAsync(cancellationToken) is { } line)
                {
                    if (line.StartsWith("data:", StringComparison.Ordinal) && _changed.CurrentCount == 0)
                    {
                        try
                        {
                            _changed.Release();
                        }
                        catch (SemaphoreFullException)
                        {
                            // Already signalled.
                        }
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(1000, cancellationToken);
            }
        }
    }
}
