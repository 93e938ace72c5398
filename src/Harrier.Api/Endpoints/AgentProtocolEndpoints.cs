using System.Buffers;
using System.Text.Json;
using Harrier.Api.Agents;
using Harrier.Api.Errors;
using Harrier.Core.Ids;
using Harrier.Protocol;
using Harrier.Protocol.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Harrier.Server.Agents;

namespace Harrier.Api.Endpoints;

/// <summary>
/// The agent protocol over HTTP, for agents in other processes (<c>harrier agent --server URL</c>). Each endpoint is
/// one <see cref="IAgentGateway"/> call with the messages in <see cref="ProtocolJson"/>'s wire format; the command
/// stream is newline-delimited JSON, one <see cref="AgentCommand"/> per line, held open until the agent goes away or
/// registers again. A body that is not a valid message is a 400 (the agent has a bug; nothing is changed).
/// Identity: <see cref="AgentProtocolAuth"/> has authenticated the request (join token for a registration, a session
/// for everything else); here a registration is validated (422) and its id authorized
/// (<see cref="AgentRegistrationAuthorizer"/>, 403) before it is given a session, and any other call that speaks for
/// another agent than its session's is a 403 that changes nothing.
/// </summary>
internal static partial class AgentProtocolEndpoints
{
    public const string Prefix = "/harrier/v1/agents";

    public static void Map(IEndpointRouteBuilder routes)
    {
        // Off the start-up path: the metadata is ready long before agents have registered.
        _ = Task.Run(ProtocolJson.Prepare);
        routes.MapPost(Prefix + "/register", async (HttpContext context, IAgentGateway gateway, AgentSessions sessions, AgentAuthOptions auth) =>
        {
            if (await ReadAsync<RegisterAgentRequest>(context) is not { } request)
            {
                return;
            }
            var violations = AgentRegistrationValidator.Validate(request).ToList();
            if (violations.Count > 0)
            {
                await Http.JsonResponse.ErrorAsync(context, ApiError.ValidationFailed(violations));
                return;
            }
            var refusal = AgentRegistrationAuthorizer.Refusal(
                sessions,
                request.Agent,
                context.Request.Headers[AgentProtocolHeaders.Session].ToString(),
                context.Request.Headers[AgentProtocolHeaders.Secret].ToString(),
                context.Connection.ClientCertificate,
                certificateMustName: auth.ClientCa is not null);
            if (refusal is not null)
            {
                await RefuseAsync(context, 403, refusal);
                return;
            }
            // The overlay's VXLAN endpoint is where the agent connects from, not what it claims.
            request = request with { Agent = request.Agent with { OverlayAddress = OverlayAddress(context) } };
            var response = await gateway.RegisterAsync(request, context.RequestAborted);
            if (response.Accepted)
            {
                context.Response.Headers[AgentProtocolHeaders.Session] = sessions.Issue(request.Agent.Id);
            }
            await WriteAsync(context, response);
        });
        routes.MapGet(Prefix + "/{id}/commands", async (HttpContext context, string id, AgentConnections connections) =>
        {
            var agent = new AgentId(id);
            if (!await IsCallerAsync(context, agent))
            {
                return;
            }
            if (connections.TryAttach(agent) is not { } reader)
            {
                await RefuseAsync(context, 409, $"Agent {id}'s command stream already has a reader.");
                return;
            }
            try
            {
                context.Response.ContentType = "application/x-ndjson";
                await context.Response.StartAsync(context.RequestAborted);
                await WriteCommandsAsync(context, reader.ReadAllAsync(context.RequestAborted));
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The agent went away.
            }
            finally
            {
                connections.Close(agent, reader);
            }
        });
        routes.MapPost(Prefix + "/status", async (HttpContext context, IAgentGateway gateway) =>
        {
            if (await ReadAsync<TaskStatusUpdate>(context) is { } update && await IsCallerAsync(context, update.AgentId))
            {
                await gateway.ReportStatusAsync(update, context.RequestAborted);
                context.Response.StatusCode = 202;
            }
        });
        routes.MapPost(Prefix + "/statuses", async (HttpContext context, IAgentGateway gateway) =>
        {
            if (await ReadAsync<TaskStatusUpdate[]>(context) is { } updates
                && await IsCallerAsync(context, updates.Select(u => u.AgentId).FirstOrDefault(a => a != AgentCaller.Of(context), AgentCaller.Of(context) ?? new AgentId(""))))
            {
                await gateway.ReportStatusesAsync(updates, context.RequestAborted);
                context.Response.StatusCode = 202;
            }
        });
        routes.MapPost(Prefix + "/health", async (HttpContext context, IAgentGateway gateway) =>
        {
            if (await ReadAsync<TaskHealthReport>(context) is { } report && await IsCallerAsync(context, report.AgentId))
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
            if (AgentCaller.Of(context) is not { } caller || !context.RequestServices.GetRequiredService<LogRelay>().IsAskedOf(id, caller))
            {
                await RefuseAsync(context, 403, $"Log request {id} was not sent to this agent.");
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
            if (AgentCaller.Of(context) is not { } caller || !context.RequestServices.GetRequiredService<AgentQueryRelay>().IsAskedOf(id, caller))
            {
                await RefuseAsync(context, 403, $"Query {id} was not sent to this agent.");
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
            if (!await IsCallerAsync(context, new AgentId(id)))
            {
                return;
            }
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

    /// <summary>True when the session's agent is <paramref name="agent"/>; otherwise answers 403 (the call changes nothing).</summary>
    private static async Task<bool> IsCallerAsync(HttpContext context, AgentId agent)
    {
        var caller = AgentCaller.Of(context);
        if (caller == agent)
        {
            return true;
        }
        await RefuseAsync(context, 403, caller is null
            ? "No agent session."
            : $"This session belongs to agent {caller}, not {agent}.");
        return false;
    }

    /// <summary>The agent's address as this server sees it (IPv4 for a mapped address); null on loopback, where the
    /// agent shares the server's host and has no overlay peers to be reached by.</summary>
    private static string? OverlayAddress(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (remote is null || System.Net.IPAddress.IsLoopback(remote))
        {
            return null;
        }
        return (remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote).ToString();
    }

    private static Task RefuseAsync(HttpContext context, int status, string message)
    {
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Harrier.Api.AgentProtocol");
        LogRefused(logger, context.Request.Path.Value ?? "", context.Connection.RemoteIpAddress?.ToString() ?? "?", status, message);
        return Http.JsonResponse.MessageAsync(context, status, message);
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

    [LoggerMessage(201, LogLevel.Warning, "Agent protocol request {Path} from {Remote} refused ({Status}): {Reason}")]
    private static partial void LogRefused(ILogger logger, string path, string remote, int status, string reason);
}
