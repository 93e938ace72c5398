using System.Buffers;
using System.Text;
using System.Text.Json;
using Harrier.Api.Http;
using Harrier.Api.Json;
using Harrier.Api.Json.Extensions;
using Harrier.Api.Security;
using Harrier.Core.Time;
using Harrier.Server.Events;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Harrier.Api.Endpoints;

/// <summary>
/// <c>GET /v2/events</c> (§14): Server-Sent Events, <c>event_type</c> filters (repeatable), a bare CRLF heartbeat every
/// 10 s. Beyond Marathon: every event carries <c>id:</c>, and a client that reconnects with <c>Last-Event-ID</c> gets
/// the retained events it missed. A client that falls 1,024 events behind is disconnected at once, even while a write
/// to it is blocked because it stopped reading (the connection is aborted), and that is an information line in the
/// log, not an error. Unfiltered, the stream carries Marathon's event types only; Harrier's
/// (<see cref="HarrierEventJsonWriter.Types"/>) come when named in <c>event_type</c> or with the header
/// <c>Harrier-Extensions: true</c>. Deployment events carry heavy plans unless <c>plan-format=light</c>; their JSON is
/// rendered once for all subscribers that see the same (<see cref="EventRenderCache"/>).
/// </summary>
internal static partial class EventsEndpoint
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(10);

    public static void Map(IEndpointRouteBuilder routes) => routes.MapGet("/v2/events", Stream);

    private static async Task Stream(HttpContext context, EventBus bus, TimeProvider time, ILoggerFactory loggers, ApiServices api, EventRenderCache rendered)
    {
        if (!context.Request.Headers.Accept.Any(a => a?.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase) == true))
        {
            // Marathon's servlet answers a GET without that Accept value with 405.
            await JsonResponse.MessageAsync(context, 405, "Method Not Allowed: /v2/events needs 'Accept: text/event-stream'");
            return;
        }
        var filter = context.Request.Query["event_type"].Where(t => !string.IsNullOrEmpty(t)).Select(t => t!).ToHashSet(StringComparer.Ordinal);
        long? lastEventId = long.TryParse(context.Request.Headers["Last-Event-ID"].ToString(), out var last) ? last : null;
        var remote = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var principal = context.Principal();
        var format = WireFormat.Of(context.Request);

        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        await context.Response.Body.FlushAsync(context.RequestAborted);
        using var subscription = bus.Subscribe(lastEventId);
        using var stream = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, subscription.Overflowed);
        var token = stream.Token;
        bus.Publish(new EventStreamEvent(Timestamp.From(time.GetUtcNow()), remote, Attached: true));
        try
        {
            var reader = subscription.Reader;
            while (!token.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(token);
                wait.CancelAfter(Heartbeat);
                bool more;
                try
                {
                    more = await reader.WaitToReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!token.IsCancellationRequested)
                {
                    await context.Response.Body.WriteAsync("\r\n"u8.ToArray(), token);
                    await context.Response.Body.FlushAsync(token);
                    continue;
                }
                if (!more)
                {
                    break;
                }
                var buffer = new ArrayBufferWriter<byte>(1024);
                var view = new EventView(api.Orchestrator.Snapshot, principal, format.FullPlans);
                while (reader.TryRead(out var item))
                {
                    if (!EventAccess.Visible(principal, item.Event))
                    {
                        continue;
                    }
                    foreach (var (type, write) in EventJsonWriter.Describe(item.Event, view).Concat(HarrierEventJsonWriter.Describe(item.Event)))
                    {
                        if (filter.Count > 0 ? !filter.Contains(type) : !format.Extensions && HarrierEventJsonWriter.Types.Contains(type))
                        {
                            continue;
                        }
                        buffer.Write(Encoding.UTF8.GetBytes($"id: {item.Sequence}\r\nevent: {type}\r\ndata: "));
                        if (EventRenderCache.Shares(item.Event))
                        {
                            buffer.Write(rendered.GetOrRender(item.Sequence, type, format.FullPlans, principal, write));
                        }
                        else
                        {
                            using var json = new Utf8JsonWriter(buffer, JsonResponse.WriterOptions);
                            write(json);
                        }
                        buffer.Write("\r\n\r\n"u8);
                    }
                }
                if (buffer.WrittenCount > 0)
                {
                    await context.Response.Body.WriteAsync(buffer.WrittenMemory, token);
                    await context.Response.Body.FlushAsync(token);
                }
            }
            if (subscription.Overflowed.IsCancellationRequested)
            {
                Disconnect(context, loggers, remote);
            }
        }
        catch (Exception e) when (subscription.Overflowed.IsCancellationRequested && e is OperationCanceledException or EventStreamOverflowException or IOException)
        {
            Disconnect(context, loggers, remote);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (IOException)
        {
            // The connection broke.
        }
        finally
        {
            bus.Publish(new EventStreamEvent(Timestamp.From(time.GetUtcNow()), remote, Attached: false));
        }
    }

    /// <summary>The client fell too far behind (Marathon's rule): the connection is closed, even mid-write.</summary>
    private static void Disconnect(HttpContext context, ILoggerFactory loggers, string remote)
    {
        LogOverflow(loggers.CreateLogger("Harrier.Api.Events"), remote, EventBus.MaxOutstanding);
        context.Abort();
    }

    [LoggerMessage(110, LogLevel.Information, "Event stream client {Remote} fell {Max} events behind and was disconnected")]
    private static partial void LogOverflow(ILogger logger, string remote, int max);
}
