using System.Net.Http.Headers;
using System.Text;
using Harrier.Api.Security;
using Harrier.Api.Tests.Endpoints;
using Harrier.Core.Ids;
using Xunit;

namespace Harrier.Api.Tests.Security;

/// <summary>
/// The balancer routes need read on <c>/</c> (what a balancer reads anyway: every app), for every method: a reader of
/// everything may register, poll and confirm; a reader of one team's apps and the anonymous may not.
/// </summary>
public sealed class BalancerAccessTests : IAsyncLifetime
{
    private static readonly AuthenticationHeaderValue Admin = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:admin-pw")));
    private static readonly AuthenticationHeaderValue Balancer = new("Bearer", "hrt_balancer");
    private static readonly AuthenticationHeaderValue ProdReader = new("Bearer", "hrt_prod_reader");

    private ApiHost _api = null!;
    private HttpClient _bare = null!;

    public async ValueTask InitializeAsync()
    {
        _api = await ApiHost.StartAsync(auth: o =>
        {
            o.Credentials.Add(new("admin", "admin-pw"));
            o.Acl.Add(new AclEntry("balancer", null, TokenHash.Of("hrt_balancer"), [PathGrant.Parse("/*", AccessAction.Read)]));
            o.Acl.Add(new AclEntry("prod-reader", null, TokenHash.Of("hrt_prod_reader"), [PathGrant.Parse("/prod/*", AccessAction.Read)]));
        }, clientAuthorization: Admin);
        _bare = new HttpClient(_api.CreateHandler()) { BaseAddress = _api.Client.BaseAddress };
    }

    public async ValueTask DisposeAsync()
    {
        _bare.Dispose();
        await _api.DisposeAsync();
    }

    [Theory]
    [InlineData("GET", "/harrier/v1/balancers")]
    [InlineData("GET", "/harrier/v1/balancers/lb-1")]
    [InlineData("PUT", "/harrier/v1/balancers/lb-1")]
    [InlineData("DELETE", "/harrier/v1/balancers/lb-1")]
    [InlineData("GET", "/harrier/v1/balancers/lb-1/drains")]
    [InlineData("POST", "/harrier/v1/balancers/lb-1/drains")]
    public void Classify_BalancerRoutes_NeedReadOnEverything(string method, string path)
    {
        var r = RouteAccess.Classify(method, path);

        Assert.Equal(RouteAccessKind.Path, r.Kind);
        Assert.Equal(AccessAction.Read, r.Action);
        Assert.Equal(PathId.Root, r.Path);
    }

    public static TheoryData<string, string, string, string?, int> Cells() => new()
    {
        { "balancer", "PUT", "/harrier/v1/balancers/lb-1", """{"groups":["external"]}""", 200 },
        { "balancer", "GET", "/harrier/v1/balancers", null, 200 },
        { "balancer", "GET", "/harrier/v1/balancers/lb-1/drains?wait=0", null, 200 },
        { "balancer", "POST", "/harrier/v1/balancers/lb-1/drains", """{"taskIds":[]}""", 200 },
        { "balancer", "DELETE", "/harrier/v1/balancers/lb-1", null, 200 },
        { "prod-reader", "PUT", "/harrier/v1/balancers/lb-2", """{"groups":["external"]}""", 403 },
        { "prod-reader", "GET", "/harrier/v1/balancers", null, 403 },
        { "prod-reader", "GET", "/harrier/v1/balancers/lb-1/drains?wait=0", null, 403 },
        { "prod-reader", "POST", "/harrier/v1/balancers/lb-1/drains", """{"taskIds":[]}""", 403 },
        { "none", "GET", "/harrier/v1/balancers", null, 401 },
        { "none", "PUT", "/harrier/v1/balancers/lb-2", """{"groups":["external"]}""", 401 },
        { "admin", "GET", "/harrier/v1/balancers", null, 200 },
    };

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Send_PrincipalOnBalancerRoute_AllowedOrRefused(string who, string method, string path, string? body, int expected)
    {
        // The cells that need a registration find one.
        await Send(Admin, "PUT", "/harrier/v1/balancers/lb-1", """{"groups":["external"]}""");

        var status = await Send(who switch { "balancer" => Balancer, "prod-reader" => ProdReader, "admin" => Admin, _ => null }, method, path, body);

        Assert.Equal(expected, status);
    }

    private async Task<int> Send(AuthenticationHeaderValue? who, string method, string path, string? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Authorization = who;
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        using var response = await _bare.SendAsync(request);
        return (int)response.StatusCode;
    }
}
