using Harrier.Api.Http;
using Harrier.Core.Ids;
using Harrier.Server.Agents;
using Microsoft.AspNetCore.Http;

namespace Harrier.Api.Endpoints;

/// <summary>
/// Beyond Marathon: <c>GET /v2/apps/{id}/tasks/{taskId}/logs?stream=stdout|stderr&amp;tail=N&amp;follow=true</c>.
/// Plain text; with <c>follow</c> it is streamed (chunked) until the task ends and its log is drained, or the client goes.
/// </summary>
internal static class TaskLogsEndpoint
{
    public static async Task Stream(HttpContext context, ApiServices api, PathId appId, string rawTaskId)
    {
        var stream = context.Request.Query["stream"].ToString();
        stream = string.IsNullOrEmpty(stream) ? "stdout" : stream;
        if (stream is not ("stdout" or "stderr"))
        {
            await JsonResponse.MessageAsync(context, 400, "stream must be stdout or stderr");
            return;
        }
        int? tail = null;
        var tailText = context.Request.Query["tail"].ToString();
        if (!string.IsNullOrEmpty(tailText))
        {
            if (!int.TryParse(tailText, out var t) || t < 0)
            {
                await JsonResponse.MessageAsync(context, 400, "tail must be a non-negative integer");
                return;
            }
            tail = t;
        }
        var follow = context.Request.Flag("follow");
        var snapshot = api.Orchestrator.Snapshot;
        var instance = TaskId.TryParse(rawTaskId, out var taskId) ? snapshot.FindByTask(taskId) : null;
        if (instance is null || instance.RunSpecId != appId || instance.Incarnation < taskId.Incarnation)
        {
            await JsonResponse.MessageAsync(context, 404, $"Task '{rawTaskId}' does not exist");
            return;
        }
        IAsyncEnumerable<ReadOnlyMemory<byte>>? chunks = null;
        foreach (var reader in api.LogReaders)
        {
            chunks = reader.ReadAsync(taskId, stream, tail, follow, context.RequestAborted);
            if (chunks is not null)
            {
                break;
            }
        }
        RelayedLog? relayed = null;
        if (chunks is null && instance.AgentId is { } agent)
        {
            // Not an agent in this process: ask the task's agent over its command stream.
            relayed = await api.LogRelay.OpenAsync(agent, taskId, stream, tail, follow, context.RequestAborted);
            chunks = relayed?.ReadAsync(context.RequestAborted);
        }
        await using (relayed)
        {
            if (chunks is null)
            {
                await JsonResponse.MessageAsync(context, 404, $"No logs for task '{rawTaskId}' on this server's agents");
                return;
            }
            await CopyAsync(context, chunks, follow);
        }
    }

    private static async Task CopyAsync(HttpContext context, IAsyncEnumerable<ReadOnlyMemory<byte>> chunks, bool follow)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain; charset=utf-8";
        try
        {
            await foreach (var chunk in chunks.WithCancellation(context.RequestAborted))
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                if (follow)
                {
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                }
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nothing to answer.
        }
    }
}
