using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Harrier.Core.Time;
using Xunit;

namespace Harrier.Core.Tests;

public sealed class AppSpecTests
{
    private static AppSpec App() => new()
    {
        Id = PathId.Parse("/a"),
        Cmd = "sleep 1",
        Labels = new ValueMap<string>([new("k", "v")]),
        PortDefinitions = new[] { new PortDefinition(10000, "default") },
    };

    [Fact]
    public void Equality_IsStructural_AcrossCollections()
    {
        Assert.Equal(App(), App());
        Assert.NotEqual(App(), App() with { Labels = new ValueMap<string>([new("k", "w")]) });
        Assert.Equal(App().GetHashCode(), App().GetHashCode());
    }

    [Fact]
    public void IsUpgradeFrom_InstancesVersionAndExecutorResourcesDoNotRestart_EverythingElseDoes()
    {
        var a = App();
        Assert.False((a with { Instances = 7 }).IsUpgradeFrom(a));
        Assert.False((a with { VersionInfo = VersionInfo.ForNew(new Timestamp(5)) }).IsUpgradeFrom(a));
        Assert.False((a with { ExecutorResources = new ExecutorResourcesSpec() }).IsUpgradeFrom(a));
        Assert.True((a with { Labels = ValueMap<string>.Empty }).IsUpgradeFrom(a));
        Assert.True((a with { UpgradeStrategy = new UpgradeStrategy(0.5, 0) }).IsUpgradeFrom(a));
        Assert.True((a with { Cmd = "sleep 2" }).IsUpgradeFrom(a));
    }

    [Fact]
    public void ServicePorts_HostNetworkingUsesPortDefinitions_OtherwisePortMappings()
    {
        Assert.Equal([10000], App().ServicePorts);
        var bridged = App() with
        {
            Networks = new[] { new NetworkSpec(NetworkMode.ContainerBridge) },
            Container = new ContainerSpec { PortMappings = new[] { new PortMapping(80, 0, 10001) } },
        };
        Assert.Equal([10001], bridged.ServicePorts);
    }
}
