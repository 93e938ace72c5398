using System.Net;
using System.Text.Json.Nodes;
using Harrier.Cli.Tests.Fakes;
using Harrier.Client;
using Shouldly;
using Xunit;

namespace Harrier.Cli.Tests;

public sealed class HarrierClientTests
{
    private static readonly Uri Server = new("http://harrier.test:8080");

    [Fact]
    public async Task ListAppsAsync_MarathonExample_MapsFieldsAndKeepsUnmodelledOnes()
    {
        var fake = new FakeMarathon().OnJson("GET", "/v2/apps", Examples.Read("app_list.json"));
        using var client = new HarrierClient(Server, fake);

        var apps = await client.ListAppsAsync("apps.tasks");

        fake.Requests.Single().Line.ShouldBe("GET /v2/apps?embed=apps.tasks");
        var app = apps.Items.ShouldHaveSingleItem();
        app.Id.ShouldBe("/myapp");
        app.Instances.ShouldBe(3);
        app.Cpus.ShouldBe(0.1);
        app.Mem.ShouldBe(5);
        app.Args.ShouldBeEmpty("\"args\": null reads as no args");
        app.DeploymentIds.ShouldBe(["9538079c-3898-4e32-aa31-799bf9097f74"]);
        app.Raw["uris"]!.AsArray().Count.ShouldBe(1);
    }

    [Fact]
    public async Task EveryCall_OptsInToHarrierExtensions_WithTheHeader()
    {
        var seen = new List<string>();
        var handler = new LambdaHandler((request, _) =>
        {
            lock (seen)
            {
                seen.Add($"{request.RequestUri!.AbsolutePath} {string.Join(",", request.Headers.TryGetValues("Harrier-Extensions", out var v) ? v : [])}");
            }
            var body = request.RequestUri!.AbsolutePath switch
            {
                "/v2/deployments" => "[]",
                "/v2/queue" => """{"queue":[]}""",
                "/v2/events" => "",
                _ => """{"name":"marathon","version":"1.11.0"}""",
            };
            return Task.FromResult(FakeMarathon.Json(body));
        });
        using var client = new HarrierClient(Server, handler);

        await client.GetInfoAsync();
        await client.ListDeploymentsAsync();
        await client.GetQueueAsync();
        await foreach (var _ in client.StreamEventsAsync([]))
        {
        }

        seen.ShouldBe(["/v2/info true", "/v2/deployments true", "/v2/queue true", "/v2/events true"]);
    }

    [Fact]
    public async Task GetAppAsync_IdWithOddCharacters_EscapesEachSegmentButKeepsSlashes()
    {
        var fake = new FakeMarathon();
        using var client = new HarrierClient(Server, fake);

        await Should.ThrowAsync<HarrierApiException>(() => client.GetAppAsync("/a b/c#d?e"));

        fake.Requests.Single().Uri.AbsolutePath.ShouldBe("/v2/apps/a%20b/c%23d%3Fe");
    }

    [Fact]
    public async Task CreateAppAsync_ValidationFailure_ThrowsWithStatusDetailsAndBody()
    {
        const string body = """{"message":"Object is not valid","details":[{"path":"/cmd","errors":["must not be an empty string"]}]}""";
        var fake = new FakeMarathon().OnJson("POST", "/v2/apps", body, 422);
        using var client = new HarrierClient(Server, fake);

        var e = await Should.ThrowAsync<HarrierApiException>(() => client.CreateAppAsync(new JsonObject { ["id"] = "/x", ["cmd"] = "y" }));

        e.Status.ShouldBe(422);
        e.Message.ShouldBe("Object is not valid");
        e.Details.ShouldBeOfType<JsonArray>()[0]!["path"]!.GetValue<string>().ShouldBe("/cmd");
        e.RawBody.ShouldBe(body);
    }

    [Fact]
    public async Task UpdateAppAsync_FullReplacement_SendsPartialUpdateFalse()
    {
        var fake = new FakeMarathon().OnJson("PUT", "/v2/apps/web", """{"deploymentId":"d","version":"v"}""");
        using var client = new HarrierClient(Server, fake);

        var result = await client.UpdateAppAsync("web", new JsonObject { ["cmd"] = "sleep 5" }, force: true, partial: false);

        fake.Requests.Single().Line.ShouldBe("PUT /v2/apps/web?force=true&partialUpdate=false");
        result.DeploymentId.ShouldBe("d");
    }

    [Fact]
    public async Task PatchAppAsync_Body_SendsPatch()
    {
        var fake = new FakeMarathon().OnJson("PATCH", "/v2/apps/web", """{"deploymentId":"d","version":"v"}""");
        using var client = new HarrierClient(Server, fake);

        await client.PatchAppAsync("/web/", JsonNode.Parse(Examples.Read("app_patch.json"))!.AsObject());

        var request = fake.Requests.Single();
        request.Line.ShouldBe("PATCH /v2/apps/web");
        JsonNode.DeepEquals(JsonNode.Parse(request.Body!), JsonNode.Parse(Examples.Read("app_patch.json"))).ShouldBeTrue();
    }

    [Fact]
    public async Task StreamLogsAsync_CharacterSplitAcrossChunks_DecodesItWhole()
    {
        var body = new PushStream();
        var fake = new FakeMarathon().On("GET", "/v2/apps/web/tasks/web.1/logs", _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body) });
        using var client = new HarrierClient(Server, fake);
        var bytes = "héllo\n"u8.ToArray();
        body.Push(bytes[..2]);
        body.Push(bytes[2..]);
        body.Complete();

        var chunks = new List<string>();
        await foreach (var chunk in client.StreamLogsAsync("/web", "web.1", tail: 0))
        {
            chunks.Add(chunk);
        }

        string.Concat(chunks).ShouldBe("héllo\n");
        fake.Requests.Single().Line.ShouldBe("GET /v2/apps/web/tasks/web.1/logs?stream=stdout&tail=0");
    }

    [Fact]
    public async Task GetInfoAsync_ServerNeverAnswers_ThrowsConnectionExceptionAfterTheTimeout()
    {
        var handler = new LambdaHandler(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        });
        using var client = new HarrierClient(Server, handler) { RequestTimeout = TimeSpan.FromMilliseconds(200) };

        var e = await Should.ThrowAsync<HarrierConnectionException>(() => client.GetInfoAsync());

        e.Message.ShouldBe("no answer within 0.2 s");
    }

    [Fact]
    public async Task GetInfoAsync_CallerCancels_ThrowsCancellationNotConnectionFailure()
    {
        var handler = new LambdaHandler(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        });
        using var client = new HarrierClient(Server, handler);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Should.ThrowAsync<OperationCanceledException>(() => client.GetInfoAsync(cts.Token));
    }
}
