using System.Text;
using System.Text.Json;
using Harrier.Core.Resources;
using Harrier.Protocol;
using Harrier.Protocol.Json;
using Xunit;

namespace Harrier.Agent.Tests.Protocol;

public sealed class ProtocolJsonMalformedTests
{
    private const string Task = "\"taskId\":\"a.instance-x._app.1\"";

    private static void AssertMalformed<T>(string json) =>
        Assert.Throws<JsonException>(() => ProtocolJson.Deserialize<T>(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData("{\"type\":\"explode\"," + Task + "}")]
    [InlineData("{" + Task + ",\"gracePeriodSeconds\":3}")]
    [InlineData("{\"type\":\"kill\"," + Task + ",\"gracePeriodSeconds\":\"3\"}")]
    [InlineData("{\"type\":\"kill\",\"taskId\":42,\"gracePeriodSeconds\":3}")]
    [InlineData("{\"type\":\"kill\",\"taskId\":null,\"gracePeriodSeconds\":3}")]
    [InlineData("{\"type\":\"kill\"," + Task + "}")]
    [InlineData("{\"type\":\"ack\"," + Task + ",\"updateId\":\"not-a-guid\"}")]
    [InlineData("{\"type\":\"reconcile\",\"taskIds\":\"a.1\"}")]
    [InlineData("{\"type\":\"reconcile\",\"taskIds\":[\"a.1\",null]}")]
    [InlineData("{\"type\":\"update-checks\"," + Task + ",\"healthChecks\":[{\"index\":0}]}")]
    [InlineData("{\"type\":\"launch\",\"launch\":{" + Task + "}}")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{\"type\":\"kill\"")]
    public void Deserialize_MalformedCommand_ThrowsJsonException(string json) => AssertMalformed<AgentCommand>(json);

    [Theory]
    [InlineData("\"2026-11-22T08:30:00Z\"")]
    [InlineData("\"2026-11-22 08:30:00.000\"")]
    [InlineData("\"yesterday\"")]
    [InlineData("1795336200123")]
    public void Deserialize_TimestampNotInWireForm_ThrowsJsonException(string json) =>
        AssertMalformed<Harrier.Core.Time.Timestamp>(json);

    [Theory]
    [InlineData("{\"cpus\":\"lots\"}")]
    [InlineData("{\"cpus\":true}")]
    [InlineData("[1,2]")]
    public void Deserialize_BadLimits_ThrowsJsonException(string json) =>
        AssertMalformed<Harrier.Core.Apps.ResourceLimitsSpec>(json);

    [Theory]
    [InlineData("\"attributes\":{\"k\":\"1\",\"k\":\"2\"}")]
    [InlineData("\"attributes\":[]")]
    [InlineData("\"ports\":[{\"begin\":1}]")]
    [InlineData("\"role\":7")]
    public void Deserialize_MalformedAgentInfo_ThrowsJsonException(string member) =>
        AssertMalformed<AgentInfo>("{\"id\":\"a\",\"hostname\":\"h\",\"resources\":{\"cpus\":1,\"mem\":1,\"disk\":0}," + member + "}");

    [Fact]
    public void Deserialize_AgentInfoWithNullHostname_ThrowsJsonException() =>
        AssertMalformed<AgentInfo>("{\"id\":\"a\",\"hostname\":null,\"resources\":{\"cpus\":1,\"mem\":1,\"disk\":0}}");

    [Fact]
    public void Deserialize_WellFormedAgentInfo_Succeeds() =>
        Assert.Equal("h", ProtocolJson.Deserialize<AgentInfo>(
            Encoding.UTF8.GetBytes("{\"id\":\"a\",\"hostname\":\"h\",\"resources\":{\"cpus\":1,\"mem\":1,\"disk\":0}}")).Hostname);

    [Fact]
    public void Deserialize_AgentInfoWithoutHostname_ThrowsJsonException() =>
        AssertMalformed<AgentInfo>("{\"id\":\"a\",\"resources\":{\"cpus\":1,\"mem\":1,\"disk\":0}}");

    [Fact]
    public void Deserialize_StatusWithUnknownState_ThrowsJsonException() =>
        AssertMalformed<TaskStatusUpdate>("{\"updateId\":\"5f0c7a4e-2d8b-4d61-9c1e-0a9b8c7d6e5f\",\"agentId\":\"a\"," + Task +
            ",\"state\":\"exploded\",\"timestamp\":\"2026-11-22T08:30:00.123Z\"}");

    [Fact]
    public void Deserialize_StatusWithNumericState_ThrowsJsonException() =>
        AssertMalformed<TaskStatusUpdate>("{\"updateId\":\"5f0c7a4e-2d8b-4d61-9c1e-0a9b8c7d6e5f\",\"agentId\":\"a\"," + Task +
            ",\"state\":2,\"timestamp\":\"2026-11-22T08:30:00.123Z\"}");

    [Fact]
    public void Serialize_NaNLimit_ThrowsJsonException() =>
        Assert.Throws<JsonException>(() => ProtocolJson.Serialize(new Harrier.Core.Apps.ResourceLimitsSpec(double.NaN, null)));
}
