using System.Reflection;
using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Xunit;
using static Harrier.Scheduling.Tests.TestData;

namespace Harrier.Scheduling.Tests;

public sealed class AppChangeClassifierTests
{
    private static readonly AppSpec Plain = App("/web", instances: 2) with
    {
        HealthChecks = new[] { new HealthCheckSpec { Path = "/health", PortIndex = 0 } },
    };

    private static readonly AppSpec OptedIn = Plain with
    {
        Labels = new ValueMap<string>([new(AppChangeClassifier.InPlaceUpdateLabel, "true")]),
    };

    private static AppSpec WithLabel(AppSpec app, string key, string value) => app with { Labels = app.Labels.SetItem(key, value) };

    private static AppSpec WithCheck(AppSpec app, Func<HealthCheckSpec, HealthCheckSpec> change) =>
        app with { HealthChecks = new[] { change(app.HealthChecks[0]) } };

    [Fact]
    public void Classify_MissingSides_AreNewRemovedOrNone()
    {
        Assert.Equal(AppChangeClass.New, AppChangeClassifier.Classify(null, Plain).Class);
        Assert.Equal(AppChangeClass.Removed, AppChangeClassifier.Classify(Plain, null).Class);
        Assert.Equal(AppChangeClass.None, AppChangeClassifier.Classify(null, null).Class);
    }

    [Fact]
    public void Classify_Identical_IsNoneEvenWithNewVersionInfo()
    {
        var summary = AppChangeClassifier.Classify(Plain, Plain with { VersionInfo = VersionInfo.ForNew(At(50)) });

        Assert.Equal(AppChangeClass.None, summary.Class);
        Assert.Empty(summary.ChangedFields);
    }

    [Fact]
    public void Classify_OnlyInstances_IsScale()
    {
        var summary = AppChangeClassifier.Classify(Plain, Plain with { Instances = 5 });

        Assert.Equal(AppChangeClass.Scale, summary.Class);
        Assert.Equal(["instances"], summary.ChangedFields);
        Assert.True(summary.InstancesChanged);
    }

    [Fact]
    public void Classify_ExecutorResourcesOnly_RestartsNothing()
    {
        var summary = AppChangeClassifier.Classify(Plain, Plain with { ExecutorResources = new ExecutorResourcesSpec() });

        Assert.Equal(AppChangeClass.None, summary.Class);
        Assert.Equal(["executorResources"], summary.ChangedFields);
    }

    [Fact]
    public void Classify_CmdChange_IsRestartEvenWhenOptedIn()
    {
        Assert.Equal(AppChangeClass.Restart, AppChangeClassifier.Classify(Plain, Plain with { Cmd = "other" }).Class);
        var summary = AppChangeClassifier.Classify(OptedIn, WithLabel(OptedIn, "a", "b") with { Cmd = "other" });
        Assert.Equal(AppChangeClass.Restart, summary.Class);
        Assert.Equal(["cmd", "labels"], summary.ChangedFields);
    }

    [Fact]
    public void Classify_LabelsWithoutOptIn_RestartLikeMarathon()
    {
        var summary = AppChangeClassifier.Classify(Plain, WithLabel(Plain, "team", "x"));

        Assert.Equal(AppChangeClass.Restart, summary.Class);
        Assert.Equal(["labels"], summary.ChangedFields);
    }

    public static TheoryData<string, Func<AppSpec, AppSpec>> InPlaceChanges => new()
    {
        { "labels", a => WithLabel(a, "team", "x") },
        { "healthChecks", a => WithCheck(a, h => h with { GracePeriodSeconds = 5, IntervalSeconds = 7, TimeoutSeconds = 3, MaxConsecutiveFailures = 9, DelaySeconds = 1 }) },
        { "upgradeStrategy", a => a with { UpgradeStrategy = new UpgradeStrategy(0.5, 0) } },
        { "backoffSeconds", a => a with { BackoffSeconds = 9 } },
        { "backoffFactor", a => a with { BackoffFactor = 2 } },
        { "maxLaunchDelaySeconds", a => a with { MaxLaunchDelaySeconds = 10 } },
        { "killSelection", a => a with { KillSelection = KillSelection.OldestFirst } },
        { "unreachableStrategy", a => a with { UnreachableStrategy = UnreachableStrategy.DisabledStrategy } },
    };

    [Theory]
    [MemberData(nameof(InPlaceChanges))]
    public void Classify_OptedInSafeChange_IsInPlace(string field, Func<AppSpec, AppSpec> change)
    {
        var summary = AppChangeClassifier.Classify(OptedIn, change(OptedIn));

        Assert.Equal(AppChangeClass.InPlace, summary.Class);
        Assert.Equal([field], summary.ChangedFields);
        Assert.Equal(AppChangeClass.Restart, AppChangeClassifier.Classify(Plain, change(Plain)).Class);
    }

    public static TheoryData<Func<HealthCheckSpec, HealthCheckSpec>> CheckIdentityChanges => new()
    {
        h => h with { Path = "/other" },
        h => h with { Protocol = HealthCheckProtocol.Tcp },
        h => h with { PortIndex = 1 },
        h => h with { Port = 8080 },
        h => h with { Command = "true" },
        h => h with { IgnoreHttp1xx = true },
        h => h with { IpProtocol = "IPv6" },
    };

    [Theory]
    [MemberData(nameof(CheckIdentityChanges))]
    public void Classify_OptedInHealthCheckIdentityChange_IsRestart(Func<HealthCheckSpec, HealthCheckSpec> change) =>
        Assert.Equal(AppChangeClass.Restart, AppChangeClassifier.Classify(OptedIn, WithCheck(OptedIn, change)).Class);

    [Fact]
    public void Classify_OptedInHealthCheckAddedOrRemoved_IsRestart()
    {
        var twoChecks = OptedIn with { HealthChecks = new[] { OptedIn.HealthChecks[0], OptedIn.HealthChecks[0] with { Path = "/b" } } };

        Assert.Equal(AppChangeClass.Restart, AppChangeClassifier.Classify(OptedIn, twoChecks).Class);
        Assert.Equal(AppChangeClass.Restart, AppChangeClassifier.Classify(OptedIn, OptedIn with { HealthChecks = ValueList<HealthCheckSpec>.Empty }).Class);
    }

    [Fact]
    public void Classify_OptedInScalePlusInPlace_IsInPlaceAndReportsInstances()
    {
        var summary = AppChangeClassifier.Classify(OptedIn, WithLabel(OptedIn, "a", "b") with { Instances = 7 });

        Assert.Equal(AppChangeClass.InPlace, summary.Class);
        Assert.Equal(["instances", "labels"], summary.ChangedFields);
        Assert.True(summary.InstancesChanged);
    }

    [Fact]
    public void Classify_OptInIsReadFromTheTarget()
    {
        // Adding the label is itself an in-place change; removing it restarts (the target no longer opts in).
        Assert.Equal(AppChangeClass.InPlace, AppChangeClassifier.Classify(Plain, OptedIn).Class);
        Assert.Equal(AppChangeClass.Restart, AppChangeClassifier.Classify(OptedIn, Plain).Class);
        Assert.Equal(AppChangeClass.InPlace, AppChangeClassifier.Classify(Plain, WithLabel(Plain, AppChangeClassifier.InPlaceUpdateLabel, "TRUE")).Class);
        Assert.Equal(AppChangeClass.Restart, AppChangeClassifier.Classify(Plain, WithLabel(Plain, AppChangeClassifier.InPlaceUpdateLabel, "yes")).Class);
    }

    [Fact]
    public void Fields_NameEveryAppSpecPropertyInMarathonCase()
    {
        // Reflection is fine in tests: it keeps the ChangedFields table complete when AppSpec grows.
        var properties = typeof(AppSpec).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is not null)
            .Select(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..])
            .Order(StringComparer.Ordinal);

        Assert.Equal(properties, AppChangeClassifier.Fields.Select(f => f.Name).Order(StringComparer.Ordinal));
    }
}
