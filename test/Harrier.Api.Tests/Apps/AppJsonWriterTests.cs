using System.Text.Json.Nodes;
using Harrier.Api.Apps;
using Harrier.Core.Apps;
using Harrier.Core.Time;
using Xunit;

namespace Harrier.Api.Tests.Apps;

public sealed class AppJsonWriterTests
{
    [Fact]
    public void ToJson_MinimalApp_WritesAlwaysPresentFieldsAndOmitsEmptyOnes()
    {
        var json = AppJson.Written(AppJson.ReadOk("{'id':'/a','cmd':'sleep 1'}"));

        foreach (var always in new[] { "labels", "networks", "upgradeStrategy", "unreachableStrategy", "killSelection", "role", "requirePorts", "backoffSeconds", "backoffFactor", "maxLaunchDelaySeconds", "gpus", "disk", "executor", "portDefinitions" })
        {
            Assert.True(json.ContainsKey(always), always);
        }
        foreach (var omitted in new[] { "args", "constraints", "dependencies", "env", "fetch", "healthChecks", "readinessChecks", "secrets", "ports", "uris", "ipAddress", "version", "versionInfo", "user", "container", "acceptedResourceRoles", "tty", "residency" })
        {
            Assert.False(json.ContainsKey(omitted), omitted);
        }
        Assert.Equal("""{"inactiveAfterSeconds":0,"expungeAfterSeconds":0}""", json["unreachableStrategy"]!.ToJsonString());
        Assert.Equal("""[{"mode":"host"}]""", json["networks"]!.ToJsonString());
        Assert.Equal("""[{"port":0,"name":"default","protocol":"tcp"}]""", json["portDefinitions"]!.ToJsonString());
    }

    [Fact]
    public void Write_Doubles_KeepJacksonForm()
    {
        var json = AppJson.Written(AppJson.ReadOk("{'id':'/a','cmd':'sleep 1','cpus':1,'mem':128,'disk':0.5}")).ToJsonString();

        Assert.Contains("\"cpus\":1.0", json, StringComparison.Ordinal);
        Assert.Contains("\"mem\":128.0", json, StringComparison.Ordinal);
        Assert.Contains("\"disk\":0.5", json, StringComparison.Ordinal);
        Assert.Contains("\"backoffFactor\":1.15", json, StringComparison.Ordinal);
        Assert.Contains("\"minimumHealthCapacity\":1.0", json, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_StoredVersion_WritesVersionAndVersionInfo()
    {
        var app = AppJson.ReadOk("{'id':'/a','cmd':'sleep 1'}") with
        {
            VersionInfo = new VersionInfo(new Timestamp(1_600_000_000_123), new Timestamp(1_600_000_000_000), new Timestamp(1_500_000_000_000)),
        };

        var json = AppJson.Written(app);

        Assert.Equal("2020-09-13T12:26:40.123Z", (string?)json["version"]);
        Assert.Equal("2020-09-13T12:26:40.000Z", (string?)json["versionInfo"]!["lastScalingAt"]);
        Assert.Equal("2017-07-14T02:40:00.000Z", (string?)json["versionInfo"]!["lastConfigChangeAt"]);
    }

    [Fact]
    public void ToJson_BridgeApp_WritesPortMappingsNotPortDefinitions()
    {
        var json = AppJson.Written(AppJson.ReadOk("{'id':'/a','networks':[{'mode':'container/bridge'}],'container':{'docker':{'image':'nginx'},'portMappings':[{'containerPort':80,'name':'http'}]}}"));

        Assert.False(json.ContainsKey("portDefinitions"));
        var mapping = json["container"]!["portMappings"]![0]!.AsObject();
        Assert.Equal(80, (int)mapping["containerPort"]!);
        Assert.Equal(0, (int)mapping["hostPort"]!);
        Assert.Equal(0, (int)mapping["servicePort"]!);
        Assert.Equal("tcp", (string?)mapping["protocol"]);
    }

    [Fact]
    public void ToJson_HostAppWithContainer_OmitsPortMappings()
    {
        var json = AppJson.Written(AppJson.ReadOk("{'id':'/a','container':{'docker':{'image':'nginx'}}}"));

        Assert.False(json["container"]!.AsObject().ContainsKey("portMappings"));
        Assert.Equal("DOCKER", (string?)json["container"]!["type"]);
    }

    [Fact]
    public void ToJson_ResidentApp_WritesDisabledUnreachableAndResidency()
    {
        var json = AppJson.Written(AppJson.ReadOk("{'id':'/a','cmd':'sleep 1','container':{'type':'MESOS','volumes':[{'containerPath':'data','mode':'RW','persistent':{'size':10}}]}}"));

        Assert.Equal("disabled", (string?)json["unreachableStrategy"]);
        Assert.Equal(3600, (int)json["residency"]!["relaunchEscalationTimeoutSeconds"]!);
    }

    [Fact]
    public void WriteFields_LeavesObjectOpenForAppInfoFields()
    {
        var app = AppJson.ReadOk("{'id':'/a','cmd':'sleep 1'}");
        using var stream = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            AppJsonWriter.WriteFields(writer, app);
            writer.WriteNumber("tasksRunning", 2);
            writer.WriteEndObject();
        }

        var json = JsonNode.Parse(stream.ToArray())!.AsObject();

        Assert.Equal("/a", (string?)json["id"]);
        Assert.Equal(2, (int)json["tasksRunning"]!);
    }

    [Theory]
    [InlineData("{'id':'/a','cmd':'sleep 1'}")]
    [InlineData("{'id':'/a','args':['x'],'env':{'A':'b'},'labels':{'l':'v'},'constraints':[['hostname','MAX_PER','2']],'fetch':[{'uri':'http://x/a.zip','destPath':'b'}],'user':'nobody','tty':true,'taskKillGracePeriodSeconds':5,'acceptedResourceRoles':['*']}")]
    [InlineData("{'id':'/a','cmd':'sleep 1','portDefinitions':[{'port':10000,'name':'http','labels':{'VIP_0':'/a:80'}}],'healthChecks':[{'protocol':'MESOS_HTTP','path':'/h'},{'protocol':'COMMAND','command':{'value':'true'}}],'readinessChecks':[{'portName':'http','httpStatusCodesForReady':[200,204]}]}")]
    [InlineData("{'id':'/a','networks':[{'name':'n1','labels':{'a':'b'}},{'name':'n2'}],'container':{'type':'MESOS','docker':{'image':'x','forcePullImage':true},'portMappings':[{'containerPort':80,'hostPort':0,'networkNames':['n1']}],'volumes':[{'containerPath':'/c','hostPath':'/h','mode':'RO'}],'linuxInfo':{'ipcInfo':{'mode':'PRIVATE','shmSize':64}}},'check':{'http':{'portIndex':0,'path':'/'}},'resourceLimits':{'cpus':'unlimited'},'executorResources':{'mem':64}}")]
    [InlineData("{'id':'/a','cmd':'sleep 1','killSelection':'OLDEST_FIRST','unreachableStrategy':{'inactiveAfterSeconds':60,'expungeAfterSeconds':120},'upgradeStrategy':{'minimumHealthCapacity':0.25,'maximumOverCapacity':0}}")]
    [InlineData("{'id':'/a','cmd':'sleep 1','container':{'type':'MESOS','volumes':[{'containerPath':'data','mode':'RW','persistent':{'type':'mount','size':10,'maxSize':20,'constraints':[['path','LIKE','/mnt/.*']]}},{'containerPath':'/e','mode':'RW','external':{'name':'v','provider':'dvdi','options':{'dvdi/driver':'rexray'}}}]}}")]
    [InlineData("{'id':'/a','cmd':'sleep 1','secrets':{'s':{'source':'/x'}},'env':{'P':{'secret':'s'}},'container':{'type':'MESOS','docker':{'image':'x','pullConfig':{'secret':'s'}},'volumes':[{'containerPath':'/s','secret':'s'}]}}")]
    public void ToJson_ThenRead_GivesSameSpec(string body)
    {
        var context = new AppReadContext(EnabledFeatures: new HashSet<string> { "secrets", "external_volumes" });
        var app = AppJson.ReadOk(body, context);

        var again = AppJson.ReadOk(AppJson.Written(app).ToJsonString(), context);

        Assert.Equal(app, again);
    }
}
