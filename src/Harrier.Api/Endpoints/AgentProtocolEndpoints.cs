using System.Buffers;
using System.Text.Json;
using Harrier.Core.Ids;
using Harrier.Protocol;
using Harrier.Protocol.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Harrier.Api.Endpoints;

/// <summary>
/// The agent protocol over HTTP, for agents in other processes (<c>harrier agent --server URL</c>). Each endpoint is
/// one <see cref="IAgentGateway"/> call with the messages in <see cref="ProtocolJson"/>'s wire format; the command
/// stream is newline-delimited JSON, one <see cref="AgentCommand"/> per line, held open until the agent goes away or
/// registers again. A body that is not a valid message is a 400 (the agent has a bug; nothing is changed).
/// </summary>
internal static class AgentProtocolEndpoints
{
    public const string Prefix = "/harrier/v1/agents";

    public static void Map(IEndpointRouteBuilder routes)
    {
        // Off the start-up path: the metadata is ready long before agents have registered.
        _ = Task.Run(ProtocolJson.Prepare);
        routes.MapPost(Prefix + "/register", async (HttpContext context, IAgentGateway gateway) =>
        {
            if (await ReadAsync<RegisterAgentRequest>(context) is not { } request)
            {
                return;
            }
            var response = await gateway.RegisterAsync(request, context.RequestAborted);
            await WriteAsync(context, response);
        });
        routes.MapGet(Prefix + "/{id}/commands", async (HttpContext context, string id, IAgentGateway gateway) =>
        {
            context.Response.ContentType = "application/x-ndjson";
            await context.Response.StartAsync(context.RequestAborted);
            try
            {
                await WriteCommandsAsync(context, gateway.CommandsAsync(new AgentId(id), context.RequestAborted));
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The agent went away.
            }
        });
        routes.MapPost(Prefix + "/status", async (HttpContext context, IAgentGateway gateway) =>
        {
            if (await ReadAsync<TaskStatusUpdate>(context) is { } update)
            {
                await gateway.ReportStatusAsync(update, context.RequestAborted);
                context.Response.StatusCode = 202;
            }
        });
        routes.MapPost(Prefix + "/statuses", async (HttpContext context, IAgentGateway gateway) =>
        {
            if (await ReadAsync<TaskStatusUpdate[]>(context) is { } updates)
            {
                await gateway.ReportStatusesAsync(updates, context.RequestAborted);
                context.Response.StatusCode = 202;
            }
        });
        routes.MapPost(Prefix + "/health", async (HttpContext context, IAgentGateway gateway) =>
        {
            if (await ReadAsync<TaskHealthReport>(context) is { } report)
            {
                await gateway.ReportHealthAsync(report, context.RequestAborted);
                context.Response.StatusCode = 202;
            }
        });
        routes.MapPost(Prefix + "/logs/{requestId}", async (HttpContext context, string requestId, IAgentGateway gateway) =>
        {
            if (!Guid.TryParse(requestId, out var id))
            {
                await Http.JsonResponse.MessageAsync(context, 400, $"Invalid log request id '{requestId}'");
                return;
            }
            // A followed log can stay open and quiet for as long as its reader wants it.
            context.Features.Get<IHttpMaxRequestBodySizeFeature>()!.MaxRequestBodySize = null;
            if (context.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate)
            {
                rate.MinDataRate = null;
            }
            var missing = context.Request.Query["missing"] == "true";
            var body = new BodyChunks(context.Request.Body);
            await gateway.UploadLogsAsync(id, missing ? null : body.ReadAsync(context.RequestAborted), context.RequestAborted);
            if (!missing && !body.Ended)
            {
                // The reader went away mid-log: close the connection so the agent stops sending.
                context.Abort();
                return;
            }
            context.Response.StatusCode = 204;
        });
        routes.MapPost(Prefix + "/queries/{requestId}", async (HttpContext context, string requestId, IAgentGateway gateway) =>
        {
            if (!Guid.TryParse(requestId, out var id))
            {
                await Http.JsonResponse.MessageAsync(context, 400, $"Invalid query request id '{requestId}'");
                return;
            }
            if (await ReadAsync<AgentQueryAnswer>(context) is { } answer)
            {
                await gateway.AnswerQueryAsync(id, answer, context.RequestAborted);
                context.Response.StatusCode = 204;
            }
        });
        routes.MapPost(Prefix + "/{id}/heartbeat", async (HttpContext context, string id, IAgentGateway gateway) =>
        {
            if (await gateway.HeartbeatAsync(new AgentId(id), context.RequestAborted))
            {
                context.Response.StatusCode = 204;
                return;
            }
            await Http.JsonResponse.WriteAsync(context, 409, w =>
            {
                w.WriteStartObject();
                w.WriteString("message", $"Agent {id} is not connected to this server: register again.");
                w.WriteEndObject();
            });
        });
    }

    /// <summary>
    /// One NDJSON line per command, flushed only when no further command is ready (or 64 KiB are pending): a batch's
    /// launches and acknowledgements reach the agent in one write, not one write and flush each.
    /// </summary>
    private static async Task WriteCommandsAsync(HttpContext context, IAsyncEnumerable<AgentCommand> commands)
    {
        var writer = context.Response.BodyWriter;
        var token = context.RequestAborted;
        await using var next = commands.GetAsyncEnumerator(token);
        // One JSON writer and buffer for the stream, reused for every command. Not the response's own buffers: the
        // JSON writer asks for 4 KiB at a time, which in a chunked response takes a fresh pooled block per command.
        var line = new ArrayBufferWriter<byte>(1024);
        using var json = new Utf8JsonWriter(line);
        var pending = 0L;
        while (true)
        {
            var moved = next.MoveNextAsync();
            if (pending > 0 && (!moved.IsCompleted || pending >= 64 * 1024))
            {
                await writer.FlushAsync(token);
                pending = 0;
            }
            if (!await moved)
            {
                break;
            }
            AgentCommandWriter.Write(json, next.Current);
            json.Flush();
            writer.Write(line.WrittenSpan);
            writer.Write("\n"u8);
            pending += line.WrittenCount + 1;
            line.ResetWrittenCount();
            json.Reset();
        }
        if (pending > 0)
        {
            await writer.FlushAsync(token);
        }
    }

    private static async Task<T?> ReadAsync<T>(HttpContext context)
        where T : class
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        try
        {
            return ProtocolJson.Deserialize<T>(buffer.ToArray()) ?? throw new JsonException("empty message");
        }
        catch (JsonException e)
        {
            context.Response.StatusCode = 400;
            await Http.JsonResponse.WriteAsync(context, 400, w =>
            {
                w.WriteStartObject();
                w.WriteString("message", $"Invalid {typeof(T).Name}: {e.Message}");
                w.WriteEndObject();
            });
            return null;
        }
    }

    private static async Task WriteAsync<T>(HttpContext context, T message)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.Body.WriteAsync(ProtocolJson.Serialize(message), context.RequestAborted);
    }
}
