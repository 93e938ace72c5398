using Harrier.Core.Apps;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Resources;
using Harrier.Core.Time;
using Harrier.Protocol;
using Xunit;

namespace Harrier.Agent.Tests;

public sealed class AgentCheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("harrier-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void SaveThenLoad_LaunchWithChecks_KeepsHealthAndReadinessChecks()
    {
        var launch = new TaskLaunch
        {
            TaskId = new TaskId("web.instance-1._app.1"),
            InstanceId = new InstanceId("web.instance-1"),
            AppId = PathId.Parse("/web"),
            AppVersion = Timestamp.Zero,
            Shell = "sleep 1",
            Resources = new ResourceVector(0.1, 16, 0),
            HostPorts = new[] { 31000 },
            HealthChecks = new[]
            {
                new TaskHealthCheck(0, new HealthCheckSpec { Protocol = HealthCheckProtocol.MesosHttp, Path = "/health", GracePeriodSeconds = 7, MaxConsecutiveFailures = 2 }, 31000),
                new TaskHealthCheck(1, new HealthCheckSpec { Protocol = HealthCheckProtocol.Command, Command = "true" }, null),
            },
            Readiness = new TaskReadinessCheck(new ReadinessCheckSpec { PortName = "http", HttpStatusCodesForReady = new[] { 200, 204 }, PreserveLastResponse = true }, 31000),
        };
        var checkpoint = new AgentCheckpoint(_dir);

        checkpoint.Save(new CheckpointedTask { TaskId = launch.TaskId.Value, Launch = CheckpointedLaunch.From(launch), State = TaskState.Running });
        var loaded = Assert.Single(checkpoint.LoadTasks()).Launch!.ToLaunch();

        Assert.Equal(launch.HealthChecks, loaded.HealthChecks);
        Assert.Equal(launch.Readiness, loaded.Readiness);
    }
}
