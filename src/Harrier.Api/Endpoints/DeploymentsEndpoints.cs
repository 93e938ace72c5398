using Harrier.Api.Http;
using Harrier.Api.Json;
using Harrier.Api.Security;
using Harrier.Core.Ids;
using Harrier.Server.Commands;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Harrier.Api.Endpoints;

/// <summary><c>/v2/deployments</c> (§2.4): list; DELETE rolls back, or with <c>force=true</c> stops where it is (202).</summary>
internal static class DeploymentsEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v2/deployments", (HttpContext context, ApiServices api) =>
        {
            var snapshot = api.Orchestrator.Snapshot;
            var principal = context.Principal();
            var format = WireFormat.Of(context.Request);
            return JsonResponse.WriteAsync(context, 200, w =>
            {
                w.WriteStartArray();
                // A plan shows every affected app's definition: only a principal who may read all of them sees it.
                foreach (var plan in snapshot.Deployments.Where(p => p.AffectedRunSpecs.All(principal.CanRead)))
                {
                    DeploymentJsonWriter.Write(w, plan, snapshot, api.Now, format);
                }
                w.WriteEndArray();
            });
        });
        routes.MapDelete("/v2/deployments/{id}", async (HttpContext context, string id, ApiServices api) =>
        {
            var force = context.Request.Flag("force");
            var plan = api.Orchestrator.Snapshot.Deployments.FirstOrDefault(p => p.Id.Value == id);
            if (plan is not null && !plan.AffectedRunSpecs.All(app => context.Principal().Can(AccessAction.Write, app)))
            {
                await context.ForbidAsync();
                return;
            }
            var (result, ok) = await CommandResponses.RunAsync<DeployResult>(context, api, new CancelDeploymentCommand(new DeploymentId(id), force));
            if (!ok)
            {
                return;
            }
            if (force)
            {
                context.Response.StatusCode = 202;
                return;
            }
            await AppsEndpoints.WriteDeploymentAsync(context, result!, 200);
        });
    }
}
