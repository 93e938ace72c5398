using Harrier.Api.Http;
using Harrier.Server.Commands;
using Microsoft.AspNetCore.Http;

namespace Harrier.Api.Endpoints;

internal static class CommandResponses
{
    /// <summary>Runs a command and maps a refusal to Marathon's error body (409 locked lists the deployments).</summary>
    public static async Task<(T? Result, bool Ok)> RunAsync<T>(HttpContext context, ApiServices api, ServerCommand command)
    {
        try
        {
            return ((T?)await api.Orchestrator.ExecuteAsync(command, context.RequestAborted), true);
        }
        catch (CommandError e)
        {
            await JsonResponse.WriteAsync(context, e.Status, w =>
            {
                w.WriteStartObject();
                w.WriteString("message", e.Message);
                if (e.Deployments.Count > 0)
                {
                    w.WriteStartArray("deployments");
                    foreach (var id in e.Deployments)
                    {
                        w.WriteStartObject();
                        w.WriteString("id", id.Value);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            });
            return (default, false);
        }
    }
}
