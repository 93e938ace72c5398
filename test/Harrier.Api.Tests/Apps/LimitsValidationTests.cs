using Harrier.Api.Apps;
using Harrier.Core.Apps;
using Harrier.Core.Ids;
using Shouldly;
using Xunit;

namespace Harrier.Api.Tests.Apps;

/// <summary>Harrier's size limits: id length (derived names must fit in a file name) and instances per app.</summary>
public sealed class LimitsValidationTests
{
    [Fact]
    public void ReadApp_IdOneOverTheLimit_Is422NamingTheLimitOnId()
    {
        var id = "/" + new string('a', IdLimits.MaxIdLength);

        var error = AppJson.ReadFailed($"{{'id':'{id}','cmd':'sleep 1'}}");

        error.Status.ShouldBe(422);
        AppJson.ErrorsAt(error, "/id").ShouldContain(m => m.Contains($"at most {IdLimits.MaxIdLength} characters"));
    }

    [Fact]
    public void ReadApp_IdAtTheLimitInAGroup_IsAccepted()
    {
        var id = "/group/" + new string('b', IdLimits.MaxIdLength - "/group/".Length);

        AppJson.ReadOk($"{{'id':'{id}','cmd':'sleep 1'}}").Id.Value.Length.ShouldBe(IdLimits.MaxIdLength);
    }

    [Fact]
    public void ReadApp_IdAtTheLimit_EveryDerivedNameFitsInAFileName()
    {
        var id = PathId.Parse("/" + new string('c', IdLimits.MaxIdLength - 1));

        var taskId = InstanceId.For(id, Guid.NewGuid()).TaskFor(int.MaxValue);

        taskId.Value.Length.ShouldBeLessThanOrEqualTo(IdLimits.NameMax);
    }

    [Fact]
    public void ReadApp_RelativeIdTooLongOnceResolved_Is422()
    {
        var context = new AppReadContext { BaseId = PathId.FromCanonical("/" + new string('g', 100)) };

        var error = AppJson.ReadFailed($"{{'id':'{new string('a', 100)}','cmd':'sleep 1'}}", context);

        AppJson.ErrorsAt(error, "/id").ShouldContain(IdLimits.TooLongMessage);
    }

    [Theory]
    [InlineData("1e9")]
    [InlineData("100001")]
    [InlineData("2147483647")]
    public void ReadApp_InstancesOverTheCap_Is422OnInstances(string instances)
    {
        var error = AppJson.ReadFailed($"{{'id':'/a','cmd':'sleep 1','instances':{instances}}}");

        error.Status.ShouldBe(422);
        AppJson.ErrorsAt(error, "/instances").ShouldBe(["must be less than or equal to 100000 (--max-instances-per-app)"]);
    }

    [Fact]
    public void ReadApp_InstancesAtTheCap_IsAccepted() =>
        AppJson.ReadOk("{'id':'/a','cmd':'sleep 1','instances':100000}").Instances.ShouldBe(100_000);

    [Fact]
    public void ReadApp_ConfiguredCap_IsTheOneApplied()
    {
        var context = new AppReadContext { MaxInstancesPerApp = 5 };

        AppJson.ReadOk("{'id':'/a','cmd':'sleep 1','instances':5}", context);
        AppJson.ErrorsAt(AppJson.ReadFailed("{'id':'/a','cmd':'sleep 1','instances':6}", context), "/instances").ShouldHaveSingleItem();
    }

    [Fact]
    public void ReadUpdate_ScaleOverTheCap_Is422OnInstances()
    {
        var existing = AppJson.ReadOk("{'id':'/a','cmd':'sleep 1','instances':1}");

        var result = AppDefinitionReader.ReadUpdate(AppJson.Parse("{'instances':1000000000}"), existing.Id, existing, new AppReadContext());

        AppJson.ErrorsAt(Assert.IsType<AppReadFailed>(result).Error, "/instances").ShouldHaveSingleItem();
    }

    [Fact]
    public void ReadApp_PersistentVolumeIdTooLongForAFileName_Is422OnItsContainerPath()
    {
        var id = "/" + new string('a', 180);
        var json = $"{{'id':'{id}','cmd':'sleep 1','container':{{'type':'MESOS','volumes':[{{'containerPath':'{new string('d', 60)}','mode':'RW','persistent':{{'size':10}}}}]}}}}";

        var error = AppJson.ReadFailed(json);

        AppJson.ErrorsAt(error, "/container/volumes(0)/containerPath").ShouldHaveSingleItem().ShouldContain("at most 255");
    }
}
