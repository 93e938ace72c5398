using Harrier.Api.Security;
using Harrier.Core.Ids;
using Xunit;

namespace Harrier.Api.Tests.Security;

public sealed class RouteAccessTests
{
    [Theory]
    [InlineData("GET", "/ping", "Open")]
    [InlineData("POST", "/harrier/v1/agents/register", "Agent")]
    [InlineData("GET", "/v2/info", "Authenticated")]
    [InlineData("GET", "/v2/leader", "Authenticated")]
    [InlineData("DELETE", "/v2/leader", "Cluster")]
    [InlineData("GET", "/v2/apps", "Filtered")]
    [InlineData("POST", "/v2/apps", "Filtered")]
    [InlineData("PUT", "/v2/apps", "Filtered")]
    [InlineData("GET", "/v2/apps/prod/*", "Filtered")]
    [InlineData("GET", "/v2/apps/prod/*/tasks", "Filtered")]
    [InlineData("GET", "/v2/tasks", "Filtered")]
    [InlineData("POST", "/v2/tasks/delete", "Filtered")]
    [InlineData("GET", "/v2/deployments", "Filtered")]
    [InlineData("DELETE", "/v2/deployments/abc", "Filtered")]
    [InlineData("GET", "/v2/queue", "Filtered")]
    [InlineData("GET", "/v2/events", "Filtered")]
    [InlineData("GET", "/v2/groups", "Filtered")]
    [InlineData("GET", "/v2/groups/prod", "Filtered")]
    [InlineData("GET", "/v2/agents", "Cluster")]
    [InlineData("POST", "/v2/agents/a1/images", "Cluster")]
    [InlineData("GET", "/agent/a1/monitor/statistics", "Cluster")]
    [InlineData("GET", "/v2/orphans", "Cluster")]
    [InlineData("GET", "/metrics", "Cluster")]
    [InlineData("GET", "/v2/some-future-endpoint", "Cluster")]
    [InlineData("DELETE", "/v2/queue/delay", "Cluster")] // prefix and suffix overlap: no app id (the fuzzer's 500)
    public void Classify_Kinds(string method, string path, string kind) =>
        Assert.Equal(kind, RouteAccess.Classify(method, path).Kind.ToString());

    [Theory]
    [InlineData("GET", "/v2/apps/prod/web", AccessAction.Read, "/prod/web")]
    [InlineData("PUT", "/v2/apps/prod/web", AccessAction.Write, "/prod/web")]
    [InlineData("DELETE", "/v2/apps/prod/web", AccessAction.Write, "/prod/web")]
    [InlineData("POST", "/v2/apps/prod/web/restart", AccessAction.Write, "/prod/web")]
    [InlineData("GET", "/v2/apps/prod/web/versions", AccessAction.Read, "/prod/web")]
    [InlineData("GET", "/v2/apps/prod/web/tasks", AccessAction.Read, "/prod/web")]
    [InlineData("DELETE", "/v2/apps/prod/web/tasks/t1", AccessAction.Write, "/prod/web")]
    [InlineData("GET", "/v2/apps/prod/web/tasks/t1/logs", AccessAction.Read, "/prod/web")]
    [InlineData("GET", "/v2/apps/dev/../prod/web", AccessAction.Read, "/prod/web")]
    [InlineData("DELETE", "/v2/queue/prod/web/delay", AccessAction.Write, "/prod/web")]
    [InlineData("DELETE", "/v2/groups/prod", AccessAction.Write, "/prod")]
    public void Classify_PathRoutes_NeedTheActionOnTheIdTheEndpointUses(string method, string path, AccessAction action, string id)
    {
        var r = RouteAccess.Classify(method, path);
        Assert.Equal(RouteAccessKind.Path, r.Kind);
        Assert.Equal(action, r.Action);
        Assert.Equal(PathId.Parse(id), r.Path);
    }
}
