using System.Collections.Concurrent;
using System.Net.Http.Headers;

namespace Harrier.Api.Tests.Conformance;

/// <summary>Reads <c>GET /v2/events</c> into (eventType, data) records in the background until disposed.</summary>
internal sealed class EventStream : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public EventStream(HttpClient client, string path, bool extensions)
    {
        _loop = Task.Run(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            if (extensions)
            {
                request.Headers.Add("Harrier-Extensions", "true");
            }
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
            string? type = null;
            while (!_stop.IsCancellationRequested && await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    type = line[7..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    Events.Enqueue((type!, line[6..]));
                }
            }
        });
    }

    public ConcurrentQueue<(string Type, string Data)> Events { get; } = new();

    public IReadOnlySet<string> Types => Events.Select(e => e.Type).ToHashSet(StringComparer.Ordinal);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }
        _stop.Dispose();
    }
}
