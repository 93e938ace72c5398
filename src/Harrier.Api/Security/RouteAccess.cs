using Harrier.Api.Endpoints;
using Harrier.Core.Ids;

namespace Harrier.Api.Security;

/// <summary>
/// Classifies a request by method and path into what it needs (pure; one table for every endpoint, so an endpoint
/// added without a rule here is cluster-admin only: the default fails closed). Endpoints that list several apps or
/// take ids in their body are <see cref="RouteAccessKind.Filtered"/> and check each item with the request's
/// <see cref="Principal"/> themselves.
/// </summary>
internal static class RouteAccess
{
    private static readonly RouteRequirement Open = new(RouteAccessKind.Open);
    private static readonly RouteRequirement Agent = new(RouteAccessKind.Agent);
    private static readonly RouteRequirement Authenticated = new(RouteAccessKind.Authenticated);
    private static readonly RouteRequirement Cluster = new(RouteAccessKind.Cluster);
    private static readonly RouteRequirement Filtered = new(RouteAccessKind.Filtered);
    private static readonly RouteRequirement ReadEverything = new(RouteAccessKind.Path, AccessAction.Read, PathId.Root);

    public static RouteRequirement Classify(string method, string path)
    {
        var get = method is "GET" or "HEAD";
        path = path.Length > 1 ? path.TrimEnd('/') : path;
        if (path == "/ping")
        {
            return Open;
        }
        if (path.StartsWith(AgentProtocolEndpoints.Prefix + "/", StringComparison.Ordinal))
        {
            return Agent;
        }
        if (path == BalancersEndpoints.Prefix || path.StartsWith(BalancersEndpoints.Prefix + "/", StringComparison.Ordinal))
        {
            // A balancer reads every app it may front; registering, polling and confirming drains asks no more of it.
            return ReadEverything;
        }
        if ((path is "/v2/info" or "/" || path == "/v2/leader") && get)
        {
            return Authenticated;
        }
        if (path is "/v2/apps" or "/v2/tasks" or "/v2/tasks/delete" or "/v2/deployments" or "/v2/queue" or "/v2/events" or "/v2/groups")
        {
            return Filtered;
        }
        if (path.StartsWith("/v2/apps/", StringComparison.Ordinal))
        {
            return Apps(path["/v2/apps/".Length..], get);
        }
        if (path.StartsWith("/v2/groups/", StringComparison.Ordinal))
        {
            return get ? Filtered : new(RouteAccessKind.Path, AccessAction.Write, Id(path["/v2/groups/".Length..]));
        }
        if (path.StartsWith("/v2/deployments/", StringComparison.Ordinal))
        {
            return Filtered;
        }
        // The rest after the prefix must end in "/delay" (as the endpoint reads it): in "/v2/queue/delay" the two overlap.
        if (path.StartsWith("/v2/queue/", StringComparison.Ordinal) && path["/v2/queue/".Length..] is var queued
            && queued.EndsWith("/delay", StringComparison.Ordinal))
        {
            return new(RouteAccessKind.Path, get ? AccessAction.Read : AccessAction.Write, Id(queued[..^"/delay".Length]));
        }
        return Cluster;
    }

    private static RouteRequirement Apps(string rest, bool get)
    {
        AppRoute route;
        try
        {
            route = AppRoute.Parse(rest);
        }
        catch (ArgumentException)
        {
            return Authenticated;
        }
        return route.Kind is AppRouteKind.GroupApps or AppRouteKind.GroupTasks
            ? Filtered
            : new(RouteAccessKind.Path, get ? AccessAction.Read : AccessAction.Write, route.Id);
    }

    // The same parse the endpoints make of the same (already decoded) path, so the check is on the id the endpoint acts on.
    private static PathId Id(string raw) => PathId.Parse(raw);
}
