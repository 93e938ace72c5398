using Harrier.Api.Apps;
using Harrier.Core.Apps;
using Harrier.Core.Ids;
using Harrier.Core.Time;
using Xunit;

namespace Harrier.Api.Tests.Apps;

public sealed class AppDefinitionReaderUpdateTests
{
    private static readonly PathId Id = PathId.FromCanonical("/web");
    private static readonly AppReadContext Context = new();

    private static AppSpec Existing() =>
        AppJson.ReadOk("{'id':'/web','cmd':'sleep 100','instances':3,'env':{'A':'1','B':'2'},'labels':{'x':'y'},'container':{'type':'MESOS','docker':{'image':'nginx'}},'executorResources':{'cpus':0.2}}")
            with
        { VersionInfo = VersionInfo.ForNew(new Timestamp(1_600_000_000_000)) };

    private static AppReadResult Update(string json, AppSpec? existing) =>
        AppDefinitionReader.ReadUpdate(AppJson.Parse(json), Id, existing, Context);

    [Fact]
    public void ReadUpdate_OnlyInstances_KeepsEverythingElse()
    {
        var existing = Existing();

        var app = Assert.IsType<AppReadOk>(Update("{'instances':5}", existing)).App;

        Assert.Equal(5, app.Instances);
        Assert.Equal(existing with { Instances = 5, ExecutorResources = null }, app);
    }

    [Fact]
    public void ReadUpdate_Env_ReplacesWholeMap()
    {
        var app = Assert.IsType<AppReadOk>(Update("{'env':{'C':'3'}}", Existing())).App;

        Assert.Equal(["C"], app.Env.Keys);
        Assert.Equal("y", app.Labels["x"]);
    }

    [Fact]
    public void ReadUpdate_Container_ReplacesWholeObject()
    {
        var app = Assert.IsType<AppReadOk>(Update("{'container':{'type':'DOCKER','docker':{'image':'redis'}}}", Existing())).App;

        Assert.Equal(ContainerType.Docker, app.Container!.Type);
        Assert.Equal("redis", app.Container.Docker!.Image);
        Assert.False(app.Container.Docker.ForcePullImage);
    }

    [Fact]
    public void ReadUpdate_ExecutorResourcesLeftOut_Cleared()
    {
        var existing = Existing();
        Assert.NotNull(existing.ExecutorResources);

        var app = Assert.IsType<AppReadOk>(Update("{'cpus':0.5}", existing)).App;

        Assert.Null(app.ExecutorResources);
        Assert.Equal(0.5, app.Cpus);
    }

    [Fact]
    public void ReadUpdate_KeepsExistingVersionInfo()
    {
        var existing = Existing();

        var app = Assert.IsType<AppReadOk>(Update("{'cmd':'sleep 5'}", existing)).App;

        Assert.Equal(existing.VersionInfo, app.VersionInfo);
        Assert.Equal("sleep 5", app.Cmd);
    }

    [Fact]
    public void ReadUpdate_SwitchToBridge_DropsHostPortDefinitions()
    {
        var app = Assert.IsType<AppReadOk>(Update("{'networks':[{'mode':'container/bridge'}]}", Existing())).App;

        Assert.Equal(NetworkMode.ContainerBridge, app.NetworkMode);
        Assert.True(app.PortDefinitions.IsEmpty);
        Assert.Equal("default", Assert.Single(app.Container!.PortMappings).Name);
    }

    [Fact]
    public void ReadUpdate_UrisReplaceStoredFetch()
    {
        var existing = Existing() with { Fetch = new[] { new FetchUri("http://x/a") } };

        var app = Assert.IsType<AppReadOk>(Update("{'uris':['http://x/b.zip']}", existing)).App;

        Assert.Equal([new FetchUri("http://x/b.zip", Extract: true)], app.Fetch.Items);
    }

    [Fact]
    public void ReadUpdate_VersionOnly_IsRollback()
    {
        var result = Update("{'version':'2020-09-13T12:26:40.000Z'}", Existing());

        var rollback = Assert.IsType<AppReadRollback>(result);
        Assert.Equal(Id, rollback.Id);
        Assert.Equal("2020-09-13T12:26:40.000Z", rollback.Version.ToString());
    }

    [Fact]
    public void ReadUpdate_VersionWithId_IsRollback()
    {
        Assert.IsType<AppReadRollback>(Update("{'id':'/web','version':'2020-09-13T12:26:40.000Z'}", Existing()));
    }

    [Fact]
    public void ReadUpdate_VersionWithOtherField_Returns422()
    {
        var error = Assert.IsType<AppReadFailed>(Update("{'version':'2020-09-13T12:26:40.000Z','cmd':'x y'}", Existing())).Error;

        Assert.Equal(422, error.Status);
        Assert.Equal("Object is not valid", error.Message);
        Assert.Equal(["The 'version' field may only be combined with the 'id' field."], AppJson.ErrorsAt(error, "/"));
    }

    [Fact]
    public void ReadUpdate_NoExistingApp_CreatesWithPathId()
    {
        var app = Assert.IsType<AppReadOk>(Update("{'cmd':'sleep 1'}", null)).App;

        Assert.Equal(Id, app.Id);
        Assert.Equal(1, app.Instances);
    }

    [Fact]
    public void ReadUpdate_InvalidMergedResult_Returns422()
    {
        var error = Assert.IsType<AppReadFailed>(Update("{'args':['a','b']}", Existing())).Error;

        Assert.Equal(["AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'."], AppJson.ErrorsAt(error, "/"));
    }

    [Fact]
    public void ReadUpdate_BadFieldType_Returns422InvalidJson()
    {
        var error = Assert.IsType<AppReadFailed>(Update("{'instances':'many'}", Existing())).Error;

        Assert.Equal("Invalid JSON", error.Message);
        Assert.Equal(["error.expected.jsnumber"], AppJson.ErrorsAt(error, "/instances"));
    }
}
