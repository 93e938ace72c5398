using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Harrier.Testing;
using Xunit;

namespace Harrier.E2E.Tests.Security;

/// <summary>
/// Issue 14, "bad input is refused before it can hurt", against the real binary: each request here was accepted
/// before and either wedged the agent (a 240-character id: PathTooLongException in its command loop, no kill executed
/// for any app), exhausted the server (instances: 1e9), let a web page create a task cross-site (text/plain or form
/// bodies, any Host), or got a bodiless 414/431.
/// </summary>
public sealed class BadInputAttackTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LongAppId_Is422NamingTheLimit_AndKillsStillWorkForOtherApps()
    {
        await using var dev = await HarrierDev.StartAsync();
        var longId = "/" + new string('a', 240);

        var (status, body, _) = await dev.SendAsync(HttpMethod.Post, "/v2/apps", $$"""{"id":"{{longId}}","cmd":"sleep 1000","cpus":0.01,"mem":8}""");
        var (putStatus, putBody, _) = await dev.SendAsync(HttpMethod.Put, "/v2/apps" + longId, """{"cmd":"sleep 1000","cpus":0.01,"mem":8}""");

        Assert.Equal((HttpStatusCode)422, status);
        Assert.Contains(ErrorsAt(body!, "/id"), e => e.Contains("at most 190 characters", StringComparison.Ordinal));
        Assert.Equal((HttpStatusCode)422, putStatus);
        Assert.Contains(ErrorsAt(putBody!, "/id"), e => e.Contains("at most 190 characters", StringComparison.Ordinal));
        // Another app still launches and its kill is carried out.
        var (created, _, _) = await dev.SendAsync(HttpMethod.Post, "/v2/apps", """{"id":"/other","cmd":"sleep 1000","cpus":0.01,"mem":8}""");
        Assert.Equal(HttpStatusCode.Created, created);
        await dev.WaitForRunningAsync("/other", 1);
        Assert.Single(dev.HostTasks("/other"));
        await dev.SendAsync(HttpMethod.Delete, "/v2/apps/other");
        await Eventually.TrueAsync(() => dev.HostTasks("/other").Count == 0, TimeSpan.FromSeconds(20), "the other app's task to be killed");
        Assert.Empty((await dev.GetJsonAsync("/v2/apps"))["apps"]!.AsArray());
    }

    [Fact]
    public async Task HugeInstances_Is422OnInstances_ForCreateUpdateAndPatch()
    {
        await using var server = await HarrierDev.StartServerAsync();

        var (create, createBody, _) = await server.SendAsync(HttpMethod.Post, "/v2/apps", """{"id":"/big","cmd":"sleep 1","instances":1e9}""");
        var (made, _, _) = await server.SendAsync(HttpMethod.Post, "/v2/apps", """{"id":"/small","cmd":"sleep 1","instances":0}""");
        var (put, putBody, _) = await server.SendAsync(HttpMethod.Put, "/v2/apps/small", """{"instances":1000000000}""");
        var (patch, patchBody, _) = await server.SendAsync(HttpMethod.Patch, "/v2/apps/small", """{"instances":100001}""");
        var (many, manyBody, _) = await server.SendAsync(HttpMethod.Put, "/v2/apps", """[{"id":"/small","instances":2147483647}]""");

        Assert.Equal((HttpStatusCode)422, create);
        Assert.Contains("must be less than or equal to 100000 (--max-instances-per-app)", ErrorsAt(createBody!, "/instances"));
        Assert.Equal(HttpStatusCode.Created, made);
        foreach (var (status, body) in new[] { (put, putBody), (patch, patchBody), (many, manyBody) })
        {
            Assert.Equal((HttpStatusCode)422, status);
            Assert.Single(ErrorsAt(body!, "/instances"));
        }
        var apps = (await server.GetJsonAsync("/v2/apps"))["apps"]!.AsArray();
        Assert.Equal(["/small"], apps.Select(a => a!["id"]!.GetValue<string>()));
        Assert.Equal(0, apps[0]!["instances"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData(null)]
    public async Task CrossSiteBody_NotJson_Is415AndCreatesNothing(string? contentType)
    {
        await using var server = await HarrierDev.StartServerAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/apps")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"id":"/csrf","cmd":"touch /tmp/pwned","instances":0}""")),
        };
        if (contentType is not null)
        {
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await server.Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var message = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["message"]!.GetValue<string>();
        Assert.Contains("application/json", message);
        Assert.Empty((await server.GetJsonAsync("/v2/apps"))["apps"]!.AsArray());
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/vnd.marathon+json")]
    public async Task JsonBody_WithCharsetOrSuffix_IsAccepted(string contentType)
    {
        await using var server = await HarrierDev.StartServerAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/apps")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"id":"/json","cmd":"sleep 1","instances":0}""")),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        using var response = await server.Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("attacker.example")]
    [InlineData("attacker.example:8080")]
    [InlineData("127.0.0.1.attacker.example")]
    [InlineData("localhost.attacker.example")]
    [InlineData("10.0.0.1")]
    public async Task ForeignHost_OnALoopbackServer_Is421WithMarathonJson(string host)
    {
        await using var server = await HarrierDev.StartServerAsync();

        var answer = await RawHttp.SendAsync(server, $"GET /v2/apps HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        var post = await RawHttp.SendAsync(server, $"POST /v2/apps HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: 41\r\nConnection: close\r\n\r\n" + """{"id":"/rebind","cmd":"x","instances":0}""");

        Assert.Equal(421, RawHttp.Status(answer));
        Assert.Contains("loopback", RawHttp.Body(answer)["message"]!.GetValue<string>());
        Assert.Equal(421, RawHttp.Status(post));
        Assert.Empty((await server.GetJsonAsync("/v2/apps"))["apps"]!.AsArray());
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    public async Task LoopbackHost_WithAnyPort_IsAnswered(string host)
    {
        await using var server = await HarrierDev.StartServerAsync();

        var answer = await RawHttp.SendAsync(server, $"GET /v2/apps HTTP/1.1\r\nHost: {host}:{server.Port}\r\nConnection: close\r\n\r\n");

        Assert.Equal(200, RawHttp.Status(answer));
    }

    [Fact]
    public async Task OversizedRequests_Get413_414_431_WithMarathonJson()
    {
        await using var server = await HarrierDev.StartServerAsync();
        var host = $"Host: 127.0.0.1:{server.Port}\r\n";

        var tooLargeBody = await RawHttp.SendAsync(server, $"POST /v2/apps HTTP/1.1\r\n{host}Content-Type: application/json\r\nContent-Length: {9 * 1024 * 1024}\r\n\r\n{{\"id\":");
        var tooLongUri = await RawHttp.SendAsync(server, $"GET /v2/apps?id={new string('x', 10_000)} HTTP/1.1\r\n{host}Connection: close\r\n\r\n");
        var tooLargeHeaders = await RawHttp.SendAsync(server, $"GET /v2/apps HTTP/1.1\r\n{host}X-Big: {new string('y', 40_000)}\r\nConnection: close\r\n\r\n");
        var tooManyHeaders = await RawHttp.SendAsync(server, $"GET /v2/apps HTTP/1.1\r\n{host}{string.Concat(Enumerable.Range(0, 150).Select(i => $"X-H{i}: v\r\n"))}Connection: close\r\n\r\n");

        foreach (var (answer, status) in new[] { (tooLargeBody, 413), (tooLongUri, 414), (tooLargeHeaders, 431), (tooManyHeaders, 431) })
        {
            Assert.Equal(status, RawHttp.Status(answer));
            Assert.Contains("application/json", answer, StringComparison.OrdinalIgnoreCase);
            Assert.False(string.IsNullOrEmpty(RawHttp.Body(answer)["message"]!.GetValue<string>()));
        }
        Assert.NotNull((await server.GetJsonAsync("/v2/info"))["version"]);
    }

    private static IReadOnlyList<string> ErrorsAt(JsonNode body, string path) =>
        body["details"]?.AsArray().Where(d => d!["path"]!.GetValue<string>() == path).SelectMany(d => d!["errors"]!.AsArray().Select(e => e!.GetValue<string>())).ToList()
        ?? throw new InvalidOperationException("no details in " + body.ToJsonString());
}
