using System.Text.Json.Nodes;
using Harrier.Api.Apps;
using Harrier.Core.Ids;
using Xunit;

namespace Harrier.Api.Tests.Apps;

/// <summary>Random JSON values in every field must never make the reader throw.</summary>
public sealed class AppDefinitionReaderFuzzTests
{
    private static readonly string[] Fields =
    [
        "id", "cmd", "args", "user", "instances", "cpus", "mem", "disk", "gpus", "resourceLimits", "executor", "executorResources",
        "env", "secrets", "labels", "constraints", "acceptedResourceRoles", "role", "container", "networks", "portDefinitions",
        "ports", "requirePorts", "fetch", "uris", "healthChecks", "check", "readinessChecks", "dependencies", "upgradeStrategy",
        "backoffSeconds", "backoffFactor", "maxLaunchDelaySeconds", "killSelection", "unreachableStrategy",
        "taskKillGracePeriodSeconds", "tty", "residency", "ipAddress", "version",
    ];

    private static readonly string[] NestedFields =
    [
        "type", "docker", "image", "network", "portMappings", "volumes", "containerPath", "hostPath", "mode", "persistent",
        "size", "external", "secret", "name", "port", "protocol", "labels", "portIndex", "command", "value", "http", "tcp", "exec",
        "minimumHealthCapacity", "maximumOverCapacity", "inactiveAfterSeconds", "expungeAfterSeconds", "uri", "discovery", "ports",
        "number", "networkNames", "hostPort", "containerPort", "servicePort", "linuxInfo", "seccomp", "ipcInfo", "pullConfig",
    ];

    private static readonly Harrier.Core.Apps.AppSpec Existing =
        AppJson.ReadOk("{'id':'/fuzz','cmd':'sleep 1','networks':[{'mode':'container/bridge'}],'container':{'docker':{'image':'x'},'portMappings':[{'containerPort':80}]},'healthChecks':[{}]}");

    [Fact]
    public void ReadApp_RandomValuesInEveryField_NeverThrows()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        for (var i = 0; i < 3000; i++)
        {
            var body = new JsonObject { ["id"] = "/fuzz", ["cmd"] = "sleep 1" };
            var count = random.Next(1, 6);
            for (var j = 0; j < count; j++)
            {
                body[Fields[random.Next(Fields.Length)]] = RandomValue(random, 3);
            }
            var json = body.ToJsonString();
            try
            {
                var result = AppDefinitionReader.ReadApp(AppJson.Parse(json), null, new AppReadContext());
                Assert.True(result is AppReadOk or AppReadFailed, json);
                if (result is AppReadFailed failed)
                {
                    Assert.Equal(422, failed.Error.Status);
                    Assert.DoesNotContain("Invalid app definition:", failed.Error.Message, StringComparison.Ordinal);
                }
                var update = AppDefinitionReader.ReadUpdate(AppJson.Parse(json), PathId.FromCanonical("/fuzz"), Existing, new AppReadContext());
                if (update is AppReadFailed updateFailed)
                {
                    Assert.DoesNotContain("Invalid app definition:", updateFailed.Error.Message, StringComparison.Ordinal);
                }
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"seed {seed}: {json} threw {e}");
            }
        }
    }

    private static JsonNode? RandomValue(Random random, int depth)
    {
        switch (random.Next(depth > 0 ? 10 : 7))
        {
            case 0: return null;
            case 1: return random.Next(2) == 0;
            case 2: return random.Next(-5, 70000);
            case 3: return random.NextDouble() * 4 - 1;
            case 4: return new[] { "", "x", "/a", "HOST", "BRIDGE", "disabled", "unlimited", "tcp", "RW", "UNIQUE", "(", "http://x/a b" }[random.Next(12)];
            case 5: return 1e300;
            case 6: return "container/bridge";
            case 7:
            case 8:
                var obj = new JsonObject();
                for (var i = random.Next(4); i > 0; i--)
                {
                    obj[NestedFields[random.Next(NestedFields.Length)]] = RandomValue(random, depth - 1);
                }
                return obj;
            default:
                var array = new JsonArray();
                for (var i = random.Next(4); i > 0; i--)
                {
                    array.Add(RandomValue(random, depth - 1));
                }
                return array;
        }
    }
}
