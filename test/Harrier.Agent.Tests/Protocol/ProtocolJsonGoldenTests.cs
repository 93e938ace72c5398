using System.Text;
using Harrier.Protocol;
using Harrier.Protocol.Json;
using Xunit;
using static Harrier.Agent.Tests.Protocol.ProtocolSamples;

namespace Harrier.Agent.Tests.Protocol;

/// <summary>Pins the wire format: a change here breaks agents and servers of different builds talking to each other.</summary>
public sealed class ProtocolJsonGoldenTests
{
    [Fact]
    public void Serialize_LaunchCommand_MatchesPinnedJson()
    {
        var json = Encoding.UTF8.GetString(ProtocolJson.Serialize<AgentCommand>(new LaunchTaskCommand(FullLaunch)));

        Assert.Equal(
            """
            {"type":"launch","launch":{"taskId":"web_api.instance-0b6c2a9e-7e1f-4c55-9a57-1f0f3a2d4e5b._app.2","instanceId":"web_api.instance-0b6c2a9e-7e1f-4c55-9a57-1f0f3a2d4e5b","appId":"/web/api","appVersion":"2026-11-22T08:30:00.123Z","shell":"exec ./server --port $PORT0","argv":["./server","--port","31001"],"user":"nobody","environment":{"EMPTY":"","HOST":"node-1","PORT0":"31001"},"resources":{"cpus":0.5,"mem":128,"disk":64,"gpus":1},"limits":{"cpus":"unlimited","mem":256.5},"hostPorts":[31001,31002],"fetch":[{"uri":"http://127.0.0.1/app.tgz","extract":true,"executable":false,"cache":false,"destPath":null},{"uri":"http://127.0.0.1/run.sh","extract":false,"executable":true,"cache":true,"destPath":"bin/run.sh"}],"killGracePeriodSeconds":7,"labels":{"team":"core"},"healthChecks":[{"index":0,"spec":{"protocol":"mesosHttp","path":"/health","portIndex":1,"port":8080,"command":"true","gracePeriodSeconds":5,"intervalSeconds":2,"timeoutSeconds":1,"maxConsecutiveFailures":4,"delaySeconds":0,"ignoreHttp1xx":true,"ipProtocol":"IPv6"},"port":31001},{"index":1,"spec":{"protocol":"command","path":null,"portIndex":null,"port":null,"command":"true","gracePeriodSeconds":300,"intervalSeconds":60,"timeoutSeconds":20,"maxConsecutiveFailures":3,"delaySeconds":15,"ignoreHttp1xx":false,"ipProtocol":"IPv4"},"port":null}],"readiness":{"spec":{"name":"ready","protocol":"HTTPS","path":"/ready","portName":"api","intervalSeconds":3,"timeoutSeconds":2,"httpStatusCodesForReady":[200,204],"preserveLastResponse":true},"port":31002},"container":{"type":"docker","image":"dcoslabs/httpi:latest","forcePullImage":true,"privileged":false,"parameters":[{"key":"label","value":"MESOS_TASK_ID=t"}],"volumes":[{"containerPath":"/data","readOnly":false,"hostPath":"/srv/data","persistentId":null,"sizeMiB":0},{"containerPath":"pv","readOnly":false,"hostPath":null,"persistentId":"i#pv","sizeMiB":64}],"networks":[{"mode":"host","name":null,"labels":{}}],"portMappings":[]}}}
            """,
            json);
    }

    [Fact]
    public void Serialize_StatusUpdate_MatchesPinnedJson()
    {
        var json = Encoding.UTF8.GetString(ProtocolJson.Serialize(FullStatus));

        Assert.Equal(
            """
            {"updateId":"5f0c7a4e-2d8b-4d61-9c1e-0a9b8c7d6e5f","agentId":"agent-1","taskId":"web_api.instance-0b6c2a9e-7e1f-4c55-9a57-1f0f3a2d4e5b._app.2","state":"failed","timestamp":"2026-11-22T08:30:00.123Z","reason":"REASON_CONTAINER_LIMITATION_MEMORY","message":"OOM killed","healthy":false,"ipAddresses":[]}
            """,
            json);
    }

    [Fact]
    public void Serialize_RunningWithAddresses_CarriesThemAndRoundTrips()
    {
        var update = FullStatus with { State = Core.Instances.TaskState.Running, Reason = null, Message = null, Healthy = null, IpAddresses = new(["172.31.254.2"]) };
        var json = Encoding.UTF8.GetString(ProtocolJson.Serialize(update));

        Assert.EndsWith(""","ipAddresses":["172.31.254.2"]}""", json, StringComparison.Ordinal);
        Assert.Equal(update, ProtocolJson.Deserialize<TaskStatusUpdate>(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Serialize_ComputedMembers_AreNotWritten()
    {
        var report = Encoding.UTF8.GetString(ProtocolJson.Serialize(FullHealthReport));
        var agent = Encoding.UTF8.GetString(ProtocolJson.Serialize(FullAgentInfo));

        Assert.Contains("\"consecutiveFailures\":2", report, StringComparison.Ordinal);
        Assert.DoesNotContain("\"alive\"", report, StringComparison.Ordinal);
        Assert.Contains("\"ports\":[{\"begin\":31000,\"end\":31099},{\"begin\":32000,\"end\":32000}]", agent, StringComparison.Ordinal);
    }
}
