using Harrier.Core.Collections;
using Harrier.Core.Instances;
using Harrier.Protocol;
using Harrier.Protocol.Json;
using Xunit;
using static Harrier.Agent.Tests.Protocol.ProtocolSamples;

namespace Harrier.Agent.Tests.Protocol;

public sealed class ProtocolJsonRoundTripTests
{
    private static T RoundTrip<T>(T value) => ProtocolJson.Deserialize<T>(ProtocolJson.Serialize(value));

    public static TheoryData<string, AgentCommand> Commands => new()
    {
        { "launch-full", new LaunchTaskCommand(FullLaunch) },
        { "launch-minimal", new LaunchTaskCommand(MinimalLaunch) },
        { "kill", new KillTaskCommand(SampleTask, 3) },
        { "ack", new AckStatusCommand(SampleTask, Update) },
        { "reconcile", new ReconcileCommand(new[] { SampleTask, new Harrier.Core.Ids.TaskId("other.1") }) },
        { "reconcile-empty", new ReconcileCommand(ValueList<Harrier.Core.Ids.TaskId>.Empty) },
        { "update-checks", new UpdateTaskChecksCommand(SampleTask, FullLaunch.HealthChecks) },
        { "update-checks-empty", new UpdateTaskChecksCommand(SampleTask, ValueList<TaskHealthCheck>.Empty) },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Deserialize_SerializedCommandAsBaseType_EqualsOriginal(string name, AgentCommand command)
    {
        var back = RoundTrip(command);

        Assert.IsType(command.GetType(), back);
        Assert.True(command.Equals(back), name);
    }

    [Fact]
    public void Deserialize_LaunchWithAllOptionalFields_EqualsOriginalIncludingUnlimitedLimit()
    {
        var back = RoundTrip(FullLaunch);

        Assert.Equal(FullLaunch, back);
        Assert.Equal(double.PositiveInfinity, back.Limits!.Cpus);
    }

    [Fact]
    public void Deserialize_LaunchWithoutOptionalFields_KeepsDefaults()
    {
        var back = RoundTrip(MinimalLaunch);

        Assert.Equal(MinimalLaunch, back);
        Assert.Null(back.Shell);
        Assert.Null(back.Limits);
        Assert.Equal(3, back.KillGracePeriodSeconds);
    }

    [Fact]
    public void Deserialize_RegisterRequest_EqualsOriginal()
    {
        var full = new RegisterAgentRequest(ProtocolVersion.Current, FullAgentInfo,
            new[] { new TaskReport(SampleTask, TaskState.Running, "pid 42"), new TaskReport(SampleTask, TaskState.Killed) });
        var minimal = new RegisterAgentRequest(ProtocolVersion.Current, MinimalAgentInfo, ValueList<TaskReport>.Empty);

        Assert.Equal(full, RoundTrip(full));
        Assert.Equal(minimal, RoundTrip(minimal));
    }

    [Fact]
    public void Deserialize_RegisterResponse_EqualsOriginal()
    {
        var rejected = new RegisterAgentResponse(false, "protocol version 9 is not supported");
        var accepted = new RegisterAgentResponse(true);

        Assert.Equal(rejected, RoundTrip(rejected));
        Assert.Equal(accepted, RoundTrip(accepted));
    }

    [Fact]
    public void Deserialize_StatusUpdate_EqualsOriginal()
    {
        Assert.Equal(FullStatus, RoundTrip(FullStatus));
        Assert.Equal(MinimalStatus, RoundTrip(MinimalStatus));
    }

    [Fact]
    public void Deserialize_HealthReport_EqualsOriginal()
    {
        Assert.Equal(FullHealthReport, RoundTrip(FullHealthReport));
        Assert.Equal(MinimalHealthReport, RoundTrip(MinimalHealthReport));
    }

    [Fact]
    public void Deserialize_AgentInfoWithoutPorts_KeepsDefaultPortRange()
    {
        var back = RoundTrip(MinimalAgentInfo);

        Assert.Equal(MinimalAgentInfo, back);
        Assert.Equal(new Harrier.Core.Resources.PortRange(31000, 32000), Assert.Single(back.Ports));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(999L)]
    [InlineData(1_795_336_200_123L)]
    [InlineData(253_402_300_799_999L)]
    public void Deserialize_Timestamp_IsLosslessToTheMillisecond(long millis)
    {
        var time = new Harrier.Core.Time.Timestamp(millis);

        Assert.Equal(time, RoundTrip(time));
    }
}
