using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Harrier.LoadBalancer.Tests.Watch;

/// <summary>
/// A Marathon on 127.0.0.1 with just what a balancer reads: <c>/v2/apps</c> (a body the test sets, or a failure) and
/// <c>/v2/events</c> (events the test pushes, one stream at a time).
/// </summary>
internal sealed class FakeMarathon : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly Channel<string> events = Channel.CreateUnbounded<string>();

    private FakeMarathon(WebApplication app) => this.app = app;

    public string AppsBody { get; set; } = """{"apps":[]}""";

    public int AppsStatus { get; set; } = 200;

    public int AppsReads;

    public int StreamsOpened;

    public string? LastEventsQuery { get; private set; }

    public string? LastAuthorization { get; private set; }

    public Uri Url { get; private set; } = null!;

    public static async Task<FakeMarathon> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var web = builder.Build();
        var fake = new FakeMarathon(web);
        web.MapGet("/v2/apps", (HttpContext c) =>
        {
            Interlocked.Increment(ref fake.AppsReads);
            fake.LastAuthorization = c.Request.Headers.Authorization.ToString();
            return fake.AppsStatus == 200 ? Results.Text(fake.AppsBody, "application/json") : Results.StatusCode(fake.AppsStatus);
        });
        web.MapGet("/v2/events", async (HttpContext c) =>
        {
            fake.LastEventsQuery = c.Request.QueryString.Value;
            Interlocked.Increment(ref fake.StreamsOpened);
            c.Response.ContentType = "text/event-stream";
            await c.Response.WriteAsync("event: event_stream_attached\ndata: {\"eventType\":\"event_stream_attached\"}\n\n", c.RequestAborted);
            await c.Response.Body.FlushAsync(c.RequestAborted);
            var reader = fake.events.Reader;
            try
            {
                while (await reader.WaitToReadAsync(c.RequestAborted))
                {
                    while (reader.TryRead(out var e))
                    {
                        if (e == "<close>")
                        {
                            return;
                        }
                        await c.Response.WriteAsync(e, c.RequestAborted);
                    }
                    await c.Response.Body.FlushAsync(c.RequestAborted);
                }
            }
            catch (OperationCanceledException)
            {
                // The client went away.
            }
        });
        await web.StartAsync();
        fake.Url = new Uri(web.Urls.First() + "/");
        return fake;
    }

    public void Push(string eventType) => events.Writer.TryWrite($"event: {eventType}\ndata: {{\"eventType\":\"{eventType}\"}}\n\n");

    /// <summary>Ends the current stream (the client reconnects).</summary>
    public void CloseStream()
    {
        events.Writer.TryWrite("<close>");
    }

    public async ValueTask DisposeAsync()
    {
        events.Writer.TryComplete();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
