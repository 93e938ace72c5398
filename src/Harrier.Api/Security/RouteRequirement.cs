using Harrier.Core.Ids;

namespace Harrier.Api.Security;

internal enum RouteAccessKind
{
    /// <summary>No credentials needed (<c>/ping</c>).</summary>
    Open,

    /// <summary>The agent protocol: agents prove themselves with their join token and session, not user credentials.</summary>
    Agent,

    /// <summary>Any authenticated principal (<c>/v2/info</c>, <c>GET /v2/leader</c>).</summary>
    Authenticated,

    /// <summary><see cref="RouteRequirement.Action"/> on the app or group id in the URL.</summary>
    Path,

    /// <summary>The cluster's own endpoints: admin on <c>/*</c>.</summary>
    Cluster,

    /// <summary>The endpoint itself filters what it shows, or checks the ids in the body, per principal.</summary>
    Filtered,
}

/// <summary>What a request needs before its endpoint runs (see <see cref="RouteAccess"/>).</summary>
internal sealed record RouteRequirement(RouteAccessKind Kind, AccessAction Action = AccessAction.Read, PathId? Path = null);
