using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Resources;
using Xunit;
using static Harrier.Scheduling.Tests.TestData;

namespace Harrier.Scheduling.Tests;

public sealed class ServicePortAssignerTests
{
    private static readonly PortRange Range = new(10000, 20000);

    [Fact]
    public void Assign_NewAppWithZeroPorts_TakesLowestFreePorts()
    {
        var other = App("/other").WithPorts(10000, 10002);

        var result = ServicePortAssigner.Assign(App().WithPorts(0, 0, 0), null, [other], Range);

        Assert.Null(result.Error);
        Assert.Equal([10001, 10003, 10004], result.App!.ServicePorts);
    }

    [Fact]
    public void Assign_NonZeroPorts_AreKeptAndCountAsUsed()
    {
        var result = ServicePortAssigner.Assign(App().WithPorts(10000, 0), null, [], Range);

        Assert.Equal([10000, 10001], result.App!.ServicePorts);
    }

    [Fact]
    public void Assign_UpgradeOfAppThatHadPorts_ReusesItsFormerPortsFirst()
    {
        var previous = App().WithPorts(15000, 15001);
        var updated = App().WithPorts(0, 0, 0) with { Cmd = "changed" };

        var result = ServicePortAssigner.Assign(updated, previous, [previous], Range);

        Assert.Equal([15000, 15001, 10000], result.App!.ServicePorts);
    }

    [Fact]
    public void Assign_FormerPortStillUsedByNewDefinition_IsNotOfferedAgain()
    {
        var previous = App().WithPorts(15000, 15001);
        var updated = App().WithPorts(15001, 0) with { Cmd = "changed" };

        var result = ServicePortAssigner.Assign(updated, previous, [previous], Range);

        Assert.Equal([15001, 15000], result.App!.ServicePorts);
    }

    [Fact]
    public void Assign_ScaleOnlyChange_LeavesAppUntouched()
    {
        var previous = App().WithPorts(0);
        var scaled = previous with { Instances = 5 };

        var result = ServicePortAssigner.Assign(scaled, previous, [], Range);

        Assert.Same(scaled, result.App);
    }

    [Fact]
    public void Assign_RangeExhausted_ReturnsMarathonError()
    {
        var small = new PortRange(10000, 10001);
        var other = App("/other").WithPorts(10000);

        var result = ServicePortAssigner.Assign(App().WithPorts(0, 0), null, [other], small);

        Assert.Null(result.App);
        Assert.Equal("All ports in the range [10000-10001) are already in use", result.Error);
    }

    [Fact]
    public void Assign_RangeIsInclusiveOfMax()
    {
        var small = new PortRange(10000, 10001);

        var result = ServicePortAssigner.Assign(App().WithPorts(0, 0), null, [], small);

        Assert.Equal([10000, 10001], result.App!.ServicePorts);
    }

    [Fact]
    public void Assign_BridgeApp_AssignsServicePortsOfPortMappings()
    {
        var app = App() with
        {
            Networks = new[] { new NetworkSpec(NetworkMode.ContainerBridge) },
            Container = new ContainerSpec
            {
                Docker = new DockerSpec { Image = "nginx" },
                PortMappings = new ValueList<PortMapping>([new PortMapping(80), new PortMapping(443, ServicePort: 12000)]),
            },
        };

        var result = ServicePortAssigner.Assign(app, null, [App("/other").WithPorts(10000)], Range);

        Assert.Equal([10001, 12000], result.App!.ServicePorts);
        Assert.Equal(80, result.App.Container!.PortMappings[0].ContainerPort);
    }

    [Fact]
    public void AssignAll_AssignsInIdOrderWithoutCollisions()
    {
        var kept = App("/kept").WithPorts(10000);
        var original = new Dictionary<Harrier.Core.Ids.PathId, AppSpec> { [kept.Id] = kept };
        var target = new Dictionary<Harrier.Core.Ids.PathId, AppSpec>
        {
            [kept.Id] = kept,
            [App("/b").Id] = App("/b").WithPorts(0),
            [App("/a").Id] = App("/a").WithPorts(0, 0),
        };

        var (apps, error) = ServicePortAssigner.AssignAll(original, target, Range);

        Assert.Null(error);
        Assert.Equal([10001, 10002], apps![App("/a").Id].ServicePorts);
        Assert.Equal([10003], apps[App("/b").Id].ServicePorts);
        Assert.Same(kept, apps[kept.Id]);
    }
}
