using Harrier.Api.Http;
using Microsoft.AspNetCore.Http;

namespace Harrier.Api.Security;

/// <summary>
/// Authenticates every request but <c>/ping</c> and the agent protocol, then enforces what <see cref="RouteAccess"/>
/// says the route needs. Answers are Marathon's: 401 <c>{"message":"Invalid username or password."}</c> with
/// <c>WWW-Authenticate: Basic realm="…"</c>, 403 <c>{"message":"Not Authorized to perform this action!"}</c>. A path
/// the principal may not read is a 403 whether or not the app exists, so ids under another team's path do not leak.
/// </summary>
internal static class AuthMiddleware
{
    public static async Task InvokeAsync(HttpContext context, Authenticator authenticator, Func<Task> next)
    {
        var requirement = RouteAccess.Classify(context.Request.Method, context.Request.Path.Value ?? "/");
        if (requirement.Kind is RouteAccessKind.Open or RouteAccessKind.Agent)
        {
            context.Features.Set(Principal.Unrestricted);
            await next();
            return;
        }
        var principal = await authenticator.AuthenticateAsync(context.Request.Headers.Authorization.ToString(), context.RequestAborted);
        if (principal is null)
        {
            context.Response.Headers.WWWAuthenticate = $"Basic realm=\"{authenticator.Realm}\"";
            await JsonResponse.MessageAsync(context, 401, "Invalid username or password.");
            return;
        }
        var allowed = requirement.Kind switch
        {
            RouteAccessKind.Path => principal.Can(requirement.Action, requirement.Path!.Value),
            RouteAccessKind.Cluster => principal.IsClusterAdmin,
            _ => true,
        };
        if (!allowed)
        {
            await JsonResponse.MessageAsync(context, 403, PrincipalAccess.NotAuthorized);
            return;
        }
        context.Features.Set(principal);
        await next();
    }
}
