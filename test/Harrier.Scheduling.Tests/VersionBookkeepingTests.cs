using Harrier.Core.Apps;
using Xunit;
using static Harrier.Scheduling.Tests.TestData;

namespace Harrier.Scheduling.Tests;

public sealed class VersionBookkeepingTests
{
    private static readonly AppSpec Original = App() with { VersionInfo = new VersionInfo(At(10), At(5), At(1)) };

    [Fact]
    public void Apply_NewApp_SetsAllThreeToT()
    {
        var result = VersionBookkeeping.Apply(null, App() with { VersionInfo = VersionInfo.None }, At(100));

        Assert.Equal(new VersionInfo(At(100), At(100), At(100)), result.VersionInfo);
    }

    [Fact]
    public void Apply_ConfigChange_SetsAllThreeToT()
    {
        var result = VersionBookkeeping.Apply(Original, Original with { Cmd = "other" }, At(100));

        Assert.Equal(new VersionInfo(At(100), At(100), At(100)), result.VersionInfo);
    }

    [Fact]
    public void Apply_ScaleOnly_KeepsLastConfigChangeAt()
    {
        var result = VersionBookkeeping.Apply(Original, Original with { Instances = 3 }, At(100));

        Assert.Equal(new VersionInfo(At(100), At(100), At(1)), result.VersionInfo);
    }

    [Fact]
    public void Apply_RestartRequested_MovesVersionAndConfigChange()
    {
        var target = Original with { VersionInfo = Original.VersionInfo with { RestartRequested = true } };

        var result = VersionBookkeeping.Apply(Original, target, At(100));

        Assert.Equal(new VersionInfo(At(100), At(5), At(100)), result.VersionInfo);
    }

    [Fact]
    public void Apply_Unchanged_KeepsOriginalVersionInfo()
    {
        var result = VersionBookkeeping.Apply(Original, Original with { VersionInfo = VersionInfo.None }, At(100));

        Assert.Equal(Original.VersionInfo, result.VersionInfo);
    }

    [Fact]
    public void Apply_ExecutorResourcesOnly_IsNotAnUpgrade()
    {
        var result = VersionBookkeeping.Apply(Original, Original with { ExecutorResources = new ExecutorResourcesSpec() }, At(100));

        Assert.Equal(Original.VersionInfo, result.VersionInfo);
    }

    private static readonly AppSpec OptedIn = Original with
    {
        Labels = new([new(AppChangeClassifier.InPlaceUpdateLabel, "true")]),
    };

    [Fact]
    public void Apply_InPlaceChange_MovesOnlyTheVersion()
    {
        var result = VersionBookkeeping.Apply(OptedIn, OptedIn with { BackoffFactor = 2 }, At(100));

        Assert.Equal(new VersionInfo(At(100), At(5), At(1)), result.VersionInfo);
    }

    [Fact]
    public void Apply_InPlaceChangeWithInstances_MovesVersionAndLastScalingAt()
    {
        var result = VersionBookkeeping.Apply(OptedIn, OptedIn with { BackoffFactor = 2, Instances = 9 }, At(100));

        Assert.Equal(new VersionInfo(At(100), At(100), At(1)), result.VersionInfo);
    }

    [Fact]
    public void Apply_InPlaceChangeWithRestartRequest_IsAConfigChange()
    {
        var target = OptedIn with { BackoffFactor = 2, VersionInfo = OptedIn.VersionInfo with { RestartRequested = true } };

        var result = VersionBookkeeping.Apply(OptedIn, target, At(100));

        Assert.Equal(new VersionInfo(At(100), At(5), At(100)), result.VersionInfo);
    }
}
