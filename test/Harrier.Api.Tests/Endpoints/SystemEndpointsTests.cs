using System.Net.Http.Headers;
using Xunit;

namespace Harrier.Api.Tests.Endpoints;

public sealed class SystemEndpointsTests
{
    [Fact]
    public async Task InfoLeaderPingMetrics_AnswerAsMarathon()
    {
        await using var api = await ApiHost.StartAsync();
        var info = await api.GetAsync("/v2/info");
        Assert.Equal("marathon", info["name"]!.GetValue<string>());
        Assert.True(info["elected"]!.GetValue<bool>());
        Assert.Equal(10000, info["marathon_config"]!["local_port_min"]!.GetValue<int>());
        Assert.NotNull((await api.GetAsync("/v2/leader"))["leader"]);

        Assert.Equal("pong", await api.Client.GetStringAsync("/ping"));
        using var json = new HttpRequestMessage(HttpMethod.Get, "/ping");
        json.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        Assert.Equal("\"pong\"", await (await api.Client.SendAsync(json)).Content.ReadAsStringAsync());
        using var other = new HttpRequestMessage(HttpMethod.Get, "/ping");
        other.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("image/png"));
        Assert.Equal(204, (int)(await api.Client.SendAsync(other)).StatusCode);

        await api.SendAsync("POST", "/v2/apps", """{"id":"/m","cmd":"sleep 1000","instances":1,"cpus":0.1,"mem":8}""");
        await api.WaitForRunningAsync("/m", 1);
        var metrics = await api.Client.GetStringAsync("/metrics");
        Assert.Contains("# TYPE harrier_apps gauge", metrics, StringComparison.Ordinal);
        Assert.Contains("harrier_apps 1", metrics, StringComparison.Ordinal);
        Assert.Contains("harrier_instances{condition=\"Running\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("harrier_http_request_duration_seconds_count{", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRoute_Is404Json_QueueDelayResetIs204()
    {
        await using var api = await ApiHost.StartAsync();
        var (status, body, _) = await api.SendAsync("GET", "/v2/nothing");
        Assert.Equal(404, status);
        Assert.NotNull(body!["message"]);
        var (delayStatus, delayBody, _) = await api.SendAsync("DELETE", "/v2/queue/none/delay");
        Assert.Equal(404, delayStatus);
        Assert.Equal("Application /none not found in tasks queue.", delayBody!["message"]!.GetValue<string>());
    }
}
