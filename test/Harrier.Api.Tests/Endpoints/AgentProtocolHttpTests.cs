using Harrier.Agent;
using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Resources;
using Harrier.Core.Time;
using Harrier.Protocol;
using Harrier.Testing;
using Xunit;

namespace Harrier.Api.Tests.Endpoints;

/// <summary>The agent protocol over HTTP as a separate agent speaks it (<see cref="HttpAgentGateway"/>).</summary>
public sealed class AgentProtocolHttpTests
{
    [Fact]
    public async Task ReportStatuses_ManyUpdatesInOneRequest_EachAppliedAndAcknowledgedOnTheStream()
    {
        await using var api = await ApiHost.StartAsync();
        using var gateway = new HttpAgentGateway(new Uri("http://localhost/"), api.CreateHandler(), disposeHandler: true);
        var info = new AgentInfo { Id = new AgentId("remote-1"), Hostname = "remote-host", Resources = new ResourceVector(4, 4096, 10_000) };
        var registered = await gateway.RegisterAsync(new RegisterAgentRequest(ProtocolVersion.Current, info, ValueList<TaskReport>.Empty), CancellationToken.None);
        Assert.True(registered.Accepted, registered.Error);
        var launches = new List<TaskLaunch>();
        var acks = new HashSet<Guid>();
        using var stop = new CancellationTokenSource();
        var stream = Task.Run(async () =>
        {
            try
            {
                await foreach (var command in gateway.CommandsAsync(info.Id, stop.Token))
                {
                    lock (acks)
                    {
                        if (command is LaunchTaskCommand launch)
                        {
                            launches.Add(launch.Launch);
                        }
                        else if (command is AckStatusCommand ack)
                        {
                            acks.Add(ack.UpdateId);
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        });

        var (status, _, _) = await api.PostAppAsync(new { id = "/remote", cmd = "sleep 3600", cpus = 0.1, mem = 16, instances = 5, constraints = new[] { new[] { "hostname", "CLUSTER", "remote-host" } } });
        Assert.Equal(201, status);
        await Eventually.TrueAsync(() => { lock (acks) { return launches.Count == 5; } }, TimeSpan.FromSeconds(10), "five launches on the remote agent");
        List<TaskStatusUpdate> updates;
        lock (acks)
        {
            updates = [.. launches.SelectMany(l => new[] { TaskState.Staging, TaskState.Running }.Select(s =>
                new TaskStatusUpdate(Guid.NewGuid(), info.Id, l.TaskId, s, Timestamp.From(DateTimeOffset.UtcNow), null, null)))];
        }

        await gateway.ReportStatusesAsync(updates, CancellationToken.None);

        await Eventually.TrueAsync(() => { lock (acks) { return updates.All(u => acks.Contains(u.UpdateId)); } }, TimeSpan.FromSeconds(10), "every update acknowledged");
        await api.WaitForRunningAsync("/remote", 5);
        await stop.CancelAsync();
        await stream;
    }

    [Fact]
    public async Task Statuses_MalformedBatch_Is400()
    {
        await using var api = await ApiHost.StartAsync();
        var session = await api.RegisterRemoteAgentAsync("remote-2");
        var (status, answer, _) = await api.SendAsync("POST", "/harrier/v1/agents/statuses", """[{"taskId":1}]""", session);
        Assert.Equal(400, status);
        Assert.StartsWith("Invalid ", answer!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
