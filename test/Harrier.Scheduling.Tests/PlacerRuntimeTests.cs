using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Resources;
using Harrier.Core.Time;
using Xunit;

namespace Harrier.Scheduling.Tests;

/// <summary>An app with a container image goes only to agents that advertise a container runtime.</summary>
public sealed class PlacerRuntimeTests
{
    private static AgentCapacity Agent(string id, bool containers) => new(
        new AgentInfo
        {
            Id = new AgentId(id),
            Hostname = id,
            Resources = new ResourceVector(4, 4096, 10_000, 0),
            Capabilities = containers ? new[] { AgentCapabilities.ContainerImages } : ValueList<string>.Empty,
        },
        ResourceVector.Zero,
        new HashSet<int>(),
        false);

    private static Instance Scheduled(AppSpec app, int n) => new()
    {
        Id = InstanceId.For(app.Id, new Guid(n, 0, 0, new byte[8])),
        RunSpecId = app.Id,
        RunSpecVersion = Timestamp.Zero,
        Since = Timestamp.Zero,
    };

    private static PlacementResult Place(AppSpec app, params AgentCapacity[] agents) =>
        Placer.PlaceEach([.. agents], [new PlacementRequest(app, [.. Enumerable.Range(1, 4).Select(n => Scheduled(app, n))], [])], new Random(1))[0];

    [Fact]
    public void PlaceEach_AppWithImage_OnlyOnAgentsWithAContainerRuntime()
    {
        var app = new AppSpec { Id = PathId.Parse("/c"), Cpus = 0.1, Mem = 16, Container = new ContainerSpec { Docker = new DockerSpec { Image = "busybox" } } };

        var result = Place(app, Agent("plain", false), Agent("oci", true));

        Assert.Equal(4, result.Placed.Count);
        Assert.All(result.Placed, p => Assert.Equal("oci", p.Agent.Value));
    }

    [Fact]
    public void PlaceEach_AppWithImage_NoRuntimeAnywhere_SaysNoContainerRuntime()
    {
        var app = new AppSpec { Id = PathId.Parse("/c"), Cpus = 0.1, Mem = 16, Container = new ContainerSpec { Docker = new DockerSpec { Image = "busybox" } } };

        var result = Place(app, Agent("plain", false));

        Assert.Empty(result.Placed);
        Assert.True(result.RejectReasons[RejectReason.NoContainerRuntime] > 0);
    }

    [Fact]
    public void PlaceEach_PlainProcess_AnyAgent()
    {
        var app = new AppSpec { Id = PathId.Parse("/p"), Cmd = "sleep 1", Cpus = 0.1, Mem = 16 };

        Assert.Equal(4, Place(app, Agent("plain", false)).Placed.Count);
    }
}
