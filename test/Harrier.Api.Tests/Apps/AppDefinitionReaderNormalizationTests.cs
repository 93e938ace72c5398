using Harrier.Api.Apps;
using Harrier.Core.Apps;
using Harrier.Core.Ids;
using Xunit;

namespace Harrier.Api.Tests.Apps;

public sealed class AppDefinitionReaderNormalizationTests
{
    [Fact]
    public void ReadApp_MinimalApp_AppliesMarathonDefaults()
    {
        var app = AppJson.ReadOk("{'id':'web','cmd':'sleep 100'}");

        Assert.Equal(PathId.FromCanonical("/web"), app.Id);
        Assert.Equal(1, app.Instances);
        Assert.Equal(1.0, app.Cpus);
        Assert.Equal(128.0, app.Mem);
        Assert.Equal([new PortDefinition(0, "default", "tcp")], app.PortDefinitions.Items);
        Assert.Equal([NetworkSpec.Host], app.Networks.Items);
        Assert.Equal(UpgradeStrategy.Default, app.UpgradeStrategy);
        Assert.Equal(UnreachableStrategy.Default, app.UnreachableStrategy);
        Assert.Equal("*", app.Role);
        Assert.Equal(300, app.MaxLaunchDelaySeconds);
        Assert.Equal(KillSelection.YoungestFirst, app.KillSelection);
        Assert.False(app.VersionInfo.IsStored);
    }

    [Fact]
    public void ReadApp_NullFields_TakeDefaults()
    {
        var app = AppJson.ReadOk("{'id':'/a','cmd':'sleep 1','args':null,'user':null,'container':null,'instances':null,'labels':null,'acceptedResourceRoles':null}");

        Assert.Equal(1, app.Instances);
        Assert.Null(app.Container);
        Assert.Null(app.AcceptedResourceRoles);
        Assert.True(app.Labels.IsEmpty);
    }

    [Fact]
    public void ReadApp_EmptyPortDefinitions_MeansNoPorts()
    {
        var app = AppJson.ReadOk("{'id':'/a','cmd':'sleep 1','portDefinitions':[]}");

        Assert.True(app.PortDefinitions.IsEmpty);
    }

    [Fact]
    public void ReadApp_LegacyPorts_BecomePortDefinitions()
    {
        var app = AppJson.ReadOk("{'id':'/a','cmd':'sleep 1','ports':[0,8080]}");

        Assert.Equal([new PortDefinition(0), new PortDefinition(8080)], app.PortDefinitions.Items);
    }

    [Fact]
    public void ReadApp_LegacyUris_BecomeFetchWithExtractByExtension()
    {
        var app = AppJson.ReadOk("{'id':'/a','cmd':'sleep 1','uris':['http://x/a.tgz','http://x/run.sh']}");

        Assert.Equal([new FetchUri("http://x/a.tgz", Extract: true), new FetchUri("http://x/run.sh", Extract: false)], app.Fetch.Items);
    }

    [Theory]
    [InlineData("BRIDGE", NetworkMode.ContainerBridge)]
    [InlineData("bridge", NetworkMode.ContainerBridge)]
    [InlineData("HOST", NetworkMode.Host)]
    public void ReadApp_DockerNetwork_TranslatedToNetworks(string network, NetworkMode mode)
    {
        var app = AppJson.ReadOk($"{{'id':'/a','container':{{'docker':{{'image':'nginx','network':'{network}'}}}}}}");

        Assert.Equal(mode, Assert.Single(app.Networks).Mode);
    }

    [Fact]
    public void ReadApp_DockerBridgeWithLegacyPortMappings_MovedToContainerWithHostPortZero()
    {
        var app = AppJson.ReadOk("{'id':'/a','container':{'type':'DOCKER','docker':{'image':'nginx','network':'BRIDGE','portMappings':[{'containerPort':80,'name':'http'}]}}}");

        var mapping = Assert.Single(app.Container!.PortMappings);
        Assert.Equal(80, mapping.ContainerPort);
        Assert.Equal(0, mapping.HostPort);
        Assert.Equal("http", mapping.Name);
        Assert.True(app.PortDefinitions.IsEmpty);
    }

    [Fact]
    public void ReadApp_BridgeWithoutPortMappings_GetsDefaultMapping()
    {
        var app = AppJson.ReadOk("{'id':'/a','networks':[{'mode':'container/bridge'}],'container':{'docker':{'image':'nginx'}}}");

        Assert.Equal([new PortMapping(ContainerPort: 0, HostPort: 0, Name: "default")], app.Container!.PortMappings.Items);
    }

    [Fact]
    public void ReadApp_NonHostWithoutContainer_GetsEmptyMesosContainer()
    {
        var app = AppJson.ReadOk("{'id':'/a','cmd':'sleep 1','networks':[{'mode':'container','name':'dcos'}],'requirePorts':true}");

        Assert.Equal(ContainerType.Mesos, app.Container!.Type);
        Assert.Equal("default", Assert.Single(app.Container.PortMappings).Name);
        Assert.False(app.RequirePorts);
    }

    [Fact]
    public void ReadApp_UnnamedContainerNetworkWithDefaultName_FilledIn()
    {
        var app = AppJson.ReadOk("{'id':'/a','cmd':'sleep 1','networks':[{}]}", new AppReadContext(DefaultNetworkName: "dcos"));

        Assert.Equal(new NetworkSpec(NetworkMode.Container, "dcos"), Assert.Single(app.Networks));
    }

    [Fact]
    public void ReadApp_IpAddress_BecomesContainerNetwork()
    {
        var app = AppJson.ReadOk("{'id':'/a','cmd':'sleep 1','ipAddress':{'networkName':'dcos','labels':{'a':'b'}}}");

        var network = Assert.Single(app.Networks);
        Assert.Equal(NetworkMode.Container, network.Mode);
        Assert.Equal("dcos", network.Name);
        Assert.Equal("b", network.Labels["a"]);
    }

    [Fact]
    public void ReadApp_HealthCheckWithoutPort_GetsPortIndexZero()
    {
        var app = AppJson.ReadOk("{'id':'/a','cmd':'sleep 1','healthChecks':[{'protocol':'http'},{'protocol':'COMMAND','command':{'value':'true'}}]}");

        Assert.Equal(0, app.HealthChecks[0].PortIndex);
        Assert.Equal(HealthCheckProtocol.Http, app.HealthChecks[0].Protocol);
        Assert.Null(app.HealthChecks[1].PortIndex);
        Assert.Equal(300, app.HealthChecks[0].GracePeriodSeconds);
    }

    [Fact]
    public void ReadApp_ReadinessCheckWithoutCodes_Gets200()
    {
        var app = AppJson.ReadOk("{'id':'/a','cmd':'sleep 1','portDefinitions':[{'name':'http-api'}],'readinessChecks':[{}]}");

        var check = Assert.Single(app.ReadinessChecks);
        Assert.Equal([200], check.HttpStatusCodesForReady.Items);
        Assert.Equal("http-api", check.PortName);
    }

    [Fact]
    public void ReadApp_PersistentVolume_MakesResidentDefaults()
    {
        var app = AppJson.ReadOk("{'id':'/a','cmd':'sleep 1','container':{'type':'MESOS','volumes':[{'containerPath':'data','mode':'RW','persistent':{'size':10}}]}}");

        Assert.Equal(UpgradeStrategy.ResidentDefault, app.UpgradeStrategy);
        Assert.True(app.UnreachableStrategy.Disabled);
        Assert.Equal(new ResidencySpec(), app.Residency);
        Assert.Equal("root", app.Container!.Volumes[0].Persistent!.Type);
    }

    [Fact]
    public void ReadApp_CaseInsensitiveEnums_Accepted()
    {
        var app = AppJson.ReadOk("{'id':'/a','cmd':'sleep 1','killSelection':'oldest_first','unreachableStrategy':'DISABLED','container':{'type':'mesos'}}");

        Assert.Equal(KillSelection.OldestFirst, app.KillSelection);
        Assert.True(app.UnreachableStrategy.Disabled);
        Assert.Equal(ContainerType.Mesos, app.Container!.Type);
    }

    [Fact]
    public void ReadApp_ConstraintsAndDependencies_Canonicalized()
    {
        var app = AppJson.ReadOk("{'id':'/prod/web','cmd':'sleep 1','constraints':[['hostname','UNIQUE'],['rack','GROUP_BY','2']],'dependencies':['db','/other/x']}");

        Assert.Equal([new ConstraintSpec("hostname", "UNIQUE"), new ConstraintSpec("rack", "GROUP_BY", "2")], app.Constraints.Items);
        Assert.Equal([PathId.FromCanonical("/db"), PathId.FromCanonical("/other/x")], app.Dependencies.Items);
    }

    [Fact]
    public void ReadApp_PathIdGiven_OverridesBodyId()
    {
        var result = AppJson.Read("{'id':'/ignored','cmd':'sleep 1'}", pathId: PathId.FromCanonical("/real"));

        Assert.Equal("/real", Assert.IsType<AppReadOk>(result).App.Id.Value);
    }

    [Fact]
    public void ReadApp_PathIdGivenAndNoBodyId_Accepted()
    {
        var result = AppJson.Read("{'cmd':'sleep 1'}", pathId: PathId.FromCanonical("/real"));

        Assert.IsType<AppReadOk>(result);
    }

    [Fact]
    public void ReadApp_ResourceLimitsUnlimited_ReadAsInfinity()
    {
        var app = AppJson.ReadOk("{'id':'/a','cmd':'sleep 1','resourceLimits':{'cpus':'unlimited','mem':256}}");

        Assert.Equal(new ResourceLimitsSpec(double.PositiveInfinity, 256), app.ResourceLimits);
    }

    [Fact]
    public void ReadApp_IntegralDoubleForInt_Accepted()
    {
        var app = AppJson.ReadOk("{'id':'/a','cmd':'sleep 1','instances':3.0}");

        Assert.Equal(3, app.Instances);
    }

    [Fact]
    public void ReadApp_RelativeIdsWithGroupBase_ResolvedAgainstBase()
    {
        var app = AppJson.ReadOk("{'id':'web','cmd':'sleep 1','dependencies':['db','../x']}", new AppReadContext { BaseId = PathId.FromCanonical("/prod") });

        Assert.Equal("/prod/web", app.Id.Value);
        Assert.Equal(["/prod/db", "/x"], app.Dependencies.Select(d => d.Value));
    }

    [Fact]
    public void ReadApp_PortMappingsOnHostNetworking_DroppedAsMarathonDoes()
    {
        var app = AppJson.ReadOk("{'id':'/a','cmd':'sleep 1','container':{'type':'MESOS','portMappings':[{'containerPort':80}]}}");

        Assert.True(app.Container!.PortMappings.IsEmpty);
        Assert.Equal("default", Assert.Single(app.PortDefinitions).Name);
    }

    [Fact]
    public void ReadApp_PortDefinitionsOnBridge_BecomeExtraPortMappings()
    {
        var app = AppJson.ReadOk("{'id':'/a','networks':[{'mode':'container/bridge'}],'portDefinitions':[{'port':1},{'port':2}],'container':{'docker':{'image':'x'},'portMappings':[{'containerPort':80}]}}");

        Assert.True(app.PortDefinitions.IsEmpty);
        Assert.Equal([new PortMapping(80, 0), new PortMapping(0, 0)], app.Container!.PortMappings.Items);
    }

    [Fact]
    public void ReadApp_IpAddressDiscoveryWithMesosContainer_BecomesPortMappings()
    {
        var app = AppJson.ReadOk("{'id':'/a','cmd':'sleep 1','ipAddress':{'networkName':'dcos','discovery':{'ports':[{'number':8080,'name':'rest','protocol':'udp'}]}}}");

        Assert.Equal(ContainerType.Mesos, app.Container!.Type);
        Assert.Equal([new PortMapping(8080, null, 0, "udp", "rest")], app.Container.PortMappings.Items);
        Assert.Equal(new NetworkSpec(NetworkMode.Container, "dcos"), Assert.Single(app.Networks));
    }

    [Fact]
    public void ReadApp_DockerUserNetworkWithIpAddress_NamedContainerNetwork()
    {
        var app = AppJson.ReadOk("{'id':'/a','container':{'type':'MESOS','docker':{'image':'x'}},'ipAddress':{'networkName':'blue'},'cmd':'sleep 1'}");

        Assert.Equal(new NetworkSpec(NetworkMode.Container, "blue"), Assert.Single(app.Networks));
    }

    [Fact]
    public void ReadApp_TwoLegacyPortsWithoutIndexOnCheck_RejectedAsMarathonDoes()
    {
        var error = AppJson.ReadFailed("{'id':'/a','cmd':'sleep 1','ports':[0,0],'healthChecks':[{'protocol':'TCP'}]}");

        Assert.Equal(["Health check port indices must address an element of the ports array or container port mappings."], AppJson.ErrorsAt(error, "/healthChecks(0)"));
    }
}
