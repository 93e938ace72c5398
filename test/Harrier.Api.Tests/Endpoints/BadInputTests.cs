using Xunit;

namespace Harrier.Api.Tests.Endpoints;

/// <summary>Bad input gets a clear 4xx in Marathon's shape, never a 5xx, and never changes state.</summary>
public sealed class BadInputTests
{
    public static TheoryData<string, string, string?> Requests() => new()
    {
        { "POST", "/v2/apps", "" },
        { "POST", "/v2/apps", "{" },
        { "POST", "/v2/apps", "[]" },
        { "POST", "/v2/apps", "42" },
        { "POST", "/v2/apps", "null" },
        { "POST", "/v2/apps", """{"id":"/"}""" },
        { "POST", "/v2/apps", """{"id":"/x","cmd":"sleep 1","constraints":[["hostname","unique"]]}""" },
        { "POST", "/v2/apps", """{"id":"/x","cmd":"sleep 1","instances":"many"}""" },
        { "POST", "/v2/apps", """{"id":"/x","cmd":"sleep 1","portDefinitions":[{"port":70000}]}""" },
        { "POST", "/v2/apps", """{"id":"/x","cmd":"sleep 1","container":{"docker":{"image":"a","network":"NONE"}}}""" },
        { "POST", "/v2/apps", """{"id":"/x","cmd":"sleep 1","uris":["http://a/b"],"fetch":[{"uri":"http://a/c"}]}""" },
        { "POST", "/v2/apps", """{"id":"/x","cmd":"sleep 1","dependencies":["/x"]}""" },
        { "POST", "/v2/apps", new string('[', 200) },
        { "PUT", "/v2/apps/x", "{\"instances\":-1}" },
        { "PUT", "/v2/apps/x", "{\"version\":\"garbage\"}" },
        { "PATCH", "/v2/apps", "[1,2]" },
        { "PUT", "/v2/apps", "[{\"cmd\":\"no id\"}]" },
        { "GET", "/v2/apps/x/versions/garbage", null },
        { "GET", "/v2/apps/x/tasks/y/logs?tail=-1", null },
        { "GET", "/v2/apps/x/tasks/y/logs?stream=other", null },
        { "DELETE", "/v2/apps/x/tasks/garbage", null },
        { "DELETE", "/v2/apps/x", null },
        { "POST", "/v2/apps/x/restart", null },
        { "POST", "/v2/tasks/delete", "{\"ids\":42}" },
        { "GET", "/v2/apps?label=(((", null },
        { "GET", "/v2/groups/a/b/c", null },
        { "DELETE", "/v2/deployments/x", null },
        { "GET", "/v2/apps//..//", null },
        { "DELETE", "/v2/queue/x/delay", null },
        { "PUT", "/v2/apps/My_App", "{\"cmd\":\"sleep 1\"}" },
        { "PUT", "/v2/apps?partialUpdate=false", "[{\"id\":\"/Bad_Id\",\"cmd\":\"sleep 1\"}]" },
        { "PATCH", "/v2/apps/versions", "{\"cmd\":\"sleep 1\"}" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task BadRequest_Gets4xxJsonMessage_AndChangesNothing(string method, string path, string? body)
    {
        await using var api = await ApiHost.StartAsync();
        var (status, json, _) = await api.SendAsync(method, path, body);
        Assert.InRange(status, 400, 499);
        Assert.False(string.IsNullOrEmpty(json?["message"]?.GetValue<string>()), $"no message in {json?.ToJsonString()}");
        Assert.Empty((await api.GetAsync("/v2/apps"))["apps"]!.AsArray());
        Assert.Empty((await api.GetAsync("/v2/deployments")).AsArray());
    }
}
