using System.Net;
using Xunit;

namespace Harrier.E2E.Tests;

/// <summary><c>--new-group-enforce-role top</c> on the real binary: a top-level group an app creates enforces its role.</summary>
public sealed class NewGroupEnforceRoleFlagTests
{
    [Fact]
    public async Task PostApp_FlagTop_NewGroupEnforcesItsNameAsRole()
    {
        await using var server = await HarrierDev.StartServerAsync("--new-group-enforce-role", "top");

        var (created, body, _) = await server.SendAsync(HttpMethod.Post, "/v2/apps", """{"id":"/prod/web","cmd":"sleep 1000","cpus":0.01,"mem":8,"instances":0}""");
        var (refused, _, _) = await server.SendAsync(HttpMethod.Post, "/v2/apps", """{"id":"/prod/db","cmd":"sleep 1000","cpus":0.01,"mem":8,"instances":0,"role":"*"}""");

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal("prod", body!["role"]!.GetValue<string>());
        Assert.Equal((HttpStatusCode)422, refused);
        Assert.True((await server.GetJsonAsync("/v2/groups/prod"))["enforceRole"]!.GetValue<bool>());
    }
}
