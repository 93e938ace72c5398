using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Xunit;
using static Harrier.Scheduling.Tests.TestData;

namespace Harrier.Scheduling.Tests;

public sealed class TaskEnvironmentTests
{
    private static readonly TaskId Task = new("a_b.instance-00000001-0000-0000-0000-000000000000._app.1");

    [Fact]
    public void Build_PlainAppWithDefaultPort_ExactVariables()
    {
        var app = App("/a/b", cpus: 1.0, mem: 128) with
        {
            PortDefinitions = new[] { new PortDefinition(10000, "default") },
        };

        var env = TaskEnvironment.Build(app, Task, "agent1.example", [31234]);

        var expected = new Dictionary<string, string>
        {
            ["MESOS_TASK_ID"] = Task.Value,
            ["MARATHON_APP_ID"] = "/a/b",
            ["MARATHON_APP_VERSION"] = "2026-01-01T00:00:00.000Z",
            ["MARATHON_APP_RESOURCE_CPUS"] = "1.0",
            ["MARATHON_APP_RESOURCE_MEM"] = "128.0",
            ["MARATHON_APP_RESOURCE_DISK"] = "0.0",
            ["MARATHON_APP_RESOURCE_GPUS"] = "0",
            ["MARATHON_APP_ENFORCE_GROUP_ROLE"] = "FALSE",
            ["MARATHON_APP_LABELS"] = "",
            ["PORT0"] = "31234",
            ["PORT_10000"] = "31234",
            ["PORT_DEFAULT"] = "31234",
            ["PORT"] = "31234",
            ["PORTS"] = "31234",
            ["HOST"] = "agent1.example",
        };
        Assert.Equal(expected.OrderBy(kv => kv.Key), env.OrderBy(kv => kv.Key));
    }

    [Fact]
    public void Build_NoPorts_NoPortVariablesButHost()
    {
        var env = TaskEnvironment.Build(App(), Task, "h", []);

        Assert.DoesNotContain(env.Keys, k => k.StartsWith("PORT", StringComparison.Ordinal));
        Assert.Equal("h", env["HOST"]);
    }

    [Fact]
    public void Build_FractionalCpus_JavaDoubleFormat()
    {
        var env = TaskEnvironment.Build(App(cpus: 0.1, mem: 64.5) with { Disk = 1e7 }, Task, "h", []);

        Assert.Equal(("0.1", "64.5", "1.0E7"), (env["MARATHON_APP_RESOURCE_CPUS"], env["MARATHON_APP_RESOURCE_MEM"], env["MARATHON_APP_RESOURCE_DISK"]));
    }

    [Fact]
    public void Build_Labels_SanitizedKeysAndValues()
    {
        var app = App() with
        {
            Labels = new ValueMap<string>([new("HAPROXY_GROUP", "external"), new("my.label-x", "v"), new(new string('k', 494), "dropped")]),
        };

        var env = TaskEnvironment.Build(app, Task, "h", []);

        Assert.Equal("HAPROXY_GROUP MY_LABEL_X", env["MARATHON_APP_LABELS"]);
        Assert.Equal("external", env["MARATHON_APP_LABEL_HAPROXY_GROUP"]);
        Assert.Equal("v", env["MARATHON_APP_LABEL_MY_LABEL_X"]);
        Assert.DoesNotContain(env.Values, v => v == "dropped");
    }

    [Fact]
    public void Build_Prefix_AppliesToPortsAndHostOnly()
    {
        var app = App().WithPorts(0, 0);

        var env = TaskEnvironment.Build(app, Task, "h", [31000, 31001], envVarsPrefix: "MY_");

        Assert.Equal("31000", env["MY_PORT0"]);
        Assert.Equal("31001", env["MY_PORT1"]);
        Assert.Equal("31000", env["MY_PORT"]);
        Assert.Equal("31000,31001", env["MY_PORTS"]);
        Assert.Equal("h", env["MY_HOST"]);
        Assert.Equal("31001", env["MY_PORT_31001"]);
        Assert.Contains("MARATHON_APP_ID", env.Keys);
        Assert.DoesNotContain("PORT0", env.Keys);
    }

    [Fact]
    public void Build_UserEnvWins_SecretsSkipped()
    {
        var app = App().WithPorts(10000) with
        {
            Env = new ValueMap<EnvValue>([new("PORT0", EnvValue.Of("1")), new("MARATHON_APP_ID", EnvValue.Of("x")), new("S", new EnvValue(null, "secret1"))]),
        };

        var env = TaskEnvironment.Build(app, Task, "h", [31000]);

        Assert.Equal("1", env["PORT0"]);
        Assert.Equal("x", env["MARATHON_APP_ID"]);
        Assert.DoesNotContain("S", env.Keys);
    }

    [Fact]
    public void Build_DockerImageAndEnforceRole()
    {
        var app = App() with { Container = new ContainerSpec { Docker = new DockerSpec { Image = "nginx:1" } } };

        var env = TaskEnvironment.Build(app, Task, "h", [], enforceGroupRole: true);

        Assert.Equal("nginx:1", env["MARATHON_APP_DOCKER_IMAGE"]);
        Assert.Equal("TRUE", env["MARATHON_APP_ENFORCE_GROUP_ROLE"]);
        Assert.DoesNotContain("MARATHON_APP_DOCKER_IMAGE", TaskEnvironment.Build(App(), Task, "h", []).Keys);
    }

    [Fact]
    public void Build_BridgeMappings_RequestedIsContainerPort_NamesUpperCasedOnly()
    {
        var app = App() with
        {
            Networks = new[] { new NetworkSpec(NetworkMode.ContainerBridge) },
            Container = new ContainerSpec
            {
                Docker = new DockerSpec { Image = "nginx" },
                PortMappings = new ValueList<PortMapping>([new PortMapping(80, Name: "http-api"), new PortMapping(0, HostPort: 0)]),
            },
        };

        var env = TaskEnvironment.Build(app, Task, "h", [31000, 31001]);

        Assert.Equal("31000", env["PORT_80"]);
        Assert.Equal("31000", env["PORT_HTTP-API"]);
        Assert.Equal("31001", env["PORT_31001"]);
        Assert.Equal("31000,31001", env["PORTS"]);
    }

    [Fact]
    public void Build_ContainerNetworkWithoutHostPort_UsesContainerPortOrGeneratedOne()
    {
        var app = App() with
        {
            Networks = new[] { new NetworkSpec(NetworkMode.Container, "dcos") },
            Container = new ContainerSpec
            {
                Docker = new DockerSpec { Image = "nginx" },
                PortMappings = new ValueList<PortMapping>([new PortMapping(8080), new PortMapping(0), new PortMapping(9000, HostPort: 0)]),
            },
        };

        var env = TaskEnvironment.Build(app, Task, "h", [31005], random: new Random(5));

        Assert.Equal("8080", env["PORT0"]);
        var generated = int.Parse(env["PORT1"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(generated, 1025, 65535);
        Assert.Equal(env["PORT1"], env["PORT_" + generated]);
        Assert.Equal("31005", env["PORT2"]);
        Assert.Equal("31005", env["PORT_9000"]);
        Assert.Equal("8080", env["PORT"]);
        Assert.Equal($"31005,{generated}", env["PORTS"]);
    }
}
