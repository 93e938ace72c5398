using Harrier.Testing;
using Xunit;

namespace Harrier.Api.Tests.Endpoints;

/// <summary>Harrier's agent drain/undrain, orphan list, and the protocol's refused heartbeat, over HTTP.</summary>
public sealed class AgentMaintenanceEndpointsTests
{
    [Fact]
    public async Task DrainThenUndrain_AgentModeFollows_InstancesMoveNowhereWithoutAnotherAgent()
    {
        await using var api = await ApiHost.StartAsync();
        var id = (await api.GetAsync("/v2/agents"))["agents"]![0]!["id"]!.GetValue<string>();
        Assert.Equal("active", (await api.GetAsync("/v2/agents"))["agents"]![0]!["mode"]!.GetValue<string>());
        await api.SendAsync("POST", "/v2/apps", """{"id":"/a","cmd":"sleep 1000","instances":1,"cpus":0.1,"mem":8}""");
        await api.WaitForRunningAsync("/a", 1);

        var (status, body, _) = await api.SendAsync("POST", $"/v2/agents/{id}/drain");

        Assert.Equal(200, status);
        Assert.Equal(id, body!["id"]!.GetValue<string>());
        Assert.Equal("draining", body["mode"]!.GetValue<string>());
        // The only agent is draining: the replacement cannot be placed, so the old instance keeps running (minimumHealthCapacity 1).
        var reason = await Eventually.WaitAsync(
            async () => (await api.GetHarrierAsync("/v2/queue"))["queue"]!.AsArray().FirstOrDefault()?["reason"],
            TimeSpan.FromSeconds(10),
            "a queue reason");
        Assert.Equal("AgentMaintenance", reason["type"]!.GetValue<string>());
        Assert.Equal(1, (await api.GetAsync("/v2/apps/a"))["app"]!["tasksRunning"]!.GetValue<int>());

        (status, body, _) = await api.SendAsync("POST", $"/v2/agents/{id}/undrain");

        Assert.Equal(200, status);
        Assert.Equal("active", body!["mode"]!.GetValue<string>());
    }

    [Fact]
    public async Task Drain_UnknownAgent_Is404WithMessage()
    {
        await using var api = await ApiHost.StartAsync();

        var (status, body, _) = await api.SendAsync("POST", "/v2/agents/nope/drain");

        Assert.Equal(404, status);
        Assert.Equal("Agent nope does not exist", body!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Orphans_StrayTaskReported_IsListedWithItsKillTime()
    {
        await using var api = await ApiHost.StartAsync();
        const string agent = "remote-agent";
        var session = await api.RegisterRemoteAgentAsync(agent);
        Assert.Empty((await api.GetAsync("/v2/orphans"))["orphans"]!.AsArray());
        var stray = "ghost.instance-" + Guid.NewGuid() + "._app.2";

        var (status, _, _) = await api.SendAsync(
            "POST",
            "/harrier/v1/agents/status",
            $$"""{"updateId":"{{Guid.NewGuid()}}","agentId":"{{agent}}","taskId":"{{stray}}","state":"running","timestamp":"2026-11-22T10:00:00.000Z"}""",
            session);
        Assert.Equal(202, status);

        var orphan = await Eventually.WaitAsync(
            async () => (await api.GetAsync("/v2/orphans"))["orphans"]!.AsArray().FirstOrDefault(),
            TimeSpan.FromSeconds(10),
            "the orphan to be listed");
        Assert.Equal(stray, orphan["taskId"]!.GetValue<string>());
        Assert.Equal(agent, orphan["agentId"]!.GetValue<string>());
        Assert.Equal("TASK_RUNNING", orphan["state"]!.GetValue<string>());
        var firstSeen = DateTimeOffset.Parse(orphan["firstSeen"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var killAt = DateTimeOffset.Parse(orphan["killAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromSeconds(60), killAt - firstSeen);
    }

    [Fact]
    public async Task Heartbeat_OwnSession_Is204_AnotherAgentsIdIs403_NoSessionIs401()
    {
        await using var api = await ApiHost.StartAsync();
        var session = await api.RegisterRemoteAgentAsync("remote-agent");
        var local = (await api.GetAsync("/v2/agents"))["agents"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()).First(id => id != "remote-agent");

        Assert.Equal(204, (await api.SendAsync("POST", "/harrier/v1/agents/remote-agent/heartbeat", session: session)).Status);
        var (status, body, _) = await api.SendAsync("POST", $"/harrier/v1/agents/{local}/heartbeat", session: session);
        Assert.Equal(403, status);
        Assert.Equal($"This session belongs to agent remote-agent, not {local}.", body!["message"]!.GetValue<string>());
        Assert.Equal(401, (await api.SendAsync("POST", "/harrier/v1/agents/remote-agent/heartbeat")).Status);
    }
}
