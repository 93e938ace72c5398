using System.Buffers;
using System.Text;
using System.Text.Json;
using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Harrier.Core.Resources;
using Harrier.Core.Time;
using Harrier.Protocol;
using Harrier.Protocol.Json;
using Xunit;
using static Harrier.Agent.Tests.Protocol.ProtocolSamples;

namespace Harrier.Agent.Tests.Protocol;

/// <summary>The hand-written command writer must write exactly the serializer's bytes, whatever the command holds.</summary>
public sealed class AgentCommandWriterTests
{
    public static TheoryData<string> Samples => new() { "full-launch", "minimal-launch", "ack", "kill", "reconcile", "update-checks", "stream-logs" };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Write_Sample_EqualsSerializerBytes(string name)
    {
        AgentCommand command = name switch
        {
            "full-launch" => new LaunchTaskCommand(FullLaunch),
            "minimal-launch" => new LaunchTaskCommand(MinimalLaunch),
            "ack" => new AckStatusCommand(SampleTask, Update),
            "kill" => new KillTaskCommand(SampleTask, 9),
            "reconcile" => new ReconcileCommand(new[] { SampleTask }),
            "update-checks" => new UpdateTaskChecksCommand(SampleTask, FullLaunch.HealthChecks),
            _ => new StreamLogsCommand(Update, SampleTask, "stdout", 10, true),
        };

        Assert.Equal(Serialized(command), Written(command));
    }

    [Fact]
    public void Write_FullLaunch_ReadsBackEqual()
    {
        var command = new LaunchTaskCommand(FullLaunch);

        var read = ProtocolJson.Deserialize<AgentCommand>(Encoding.UTF8.GetBytes(Written(command)));

        Assert.Equal(command, read);
    }

    [Fact]
    public void Write_RandomLaunches_EqualSerializerBytes()
    {
        var random = new Random(20261202);
        for (var i = 0; i < 500; i++)
        {
            var command = new LaunchTaskCommand(RandomLaunch(random));

            Assert.Equal(Serialized(command), Written(command));
        }
    }

    [Fact]
    public void Write_RandomAcksAndKills_EqualSerializerBytes()
    {
        var random = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            var task = new TaskId(RandomText(random, 1, 40));
            AgentCommand command = i % 2 == 0 ? new AckStatusCommand(task, Guid.NewGuid()) : new KillTaskCommand(task, random.Next(-5, 100_000));

            Assert.Equal(Serialized(command), Written(command));
        }
    }

    [Fact]
    public void Write_SeveralCommandsWithReset_WritesEachWhole()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var json = new Utf8JsonWriter(buffer);
        AgentCommand[] commands = [new AckStatusCommand(SampleTask, Update), new LaunchTaskCommand(MinimalLaunch), new KillTaskCommand(SampleTask, 3)];

        foreach (var command in commands)
        {
            AgentCommandWriter.Write(json, command);
            json.Flush();
            json.Reset();
            buffer.Write("\n"u8);
        }

        Assert.Equal(string.Concat(commands.Select(c => Serialized(c) + "\n")), Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static string Serialized(AgentCommand command) => Encoding.UTF8.GetString(ProtocolJson.Serialize(command));

    private static string Written(AgentCommand command)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            AgentCommandWriter.Write(json, command);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static TaskLaunch RandomLaunch(Random random)
    {
        var task = new TaskId(RandomText(random, 1, 30));
        return new TaskLaunch
        {
            TaskId = task,
            InstanceId = new InstanceId(RandomText(random, 1, 30)),
            AppId = PathId.Parse("/" + string.Join('/', Enumerable.Range(0, random.Next(1, 4)).Select(_ => "a" + random.Next(1000)))),
            AppVersion = new Timestamp(random.NextInt64(0, 4_000_000_000_000)),
            Shell = random.Next(3) == 0 ? null : RandomText(random, 0, 60),
            Argv = new ValueList<string>([.. Enumerable.Range(0, random.Next(4)).Select(_ => RandomText(random, 0, 12))]),
            User = random.Next(2) == 0 ? null : RandomText(random, 1, 8),
            Environment = RandomMap(random, 12),
            Resources = new ResourceVector(RandomNumber(random), RandomNumber(random), RandomNumber(random), random.Next(3)),
            Limits = random.Next(3) switch
            {
                0 => null,
                1 => new ResourceLimitsSpec(random.Next(2) == 0 ? null : RandomNumber(random), double.PositiveInfinity),
                _ => new ResourceLimitsSpec(double.PositiveInfinity, random.Next(2) == 0 ? null : RandomNumber(random)),
            },
            HostPorts = new ValueList<int>([.. Enumerable.Range(0, random.Next(4)).Select(_ => random.Next(0, 65536))]),
            Fetch = new ValueList<FetchUri>([.. Enumerable.Range(0, random.Next(3)).Select(_ => new FetchUri(
                RandomText(random, 1, 30), random.Next(2) == 0, random.Next(2) == 0, random.Next(2) == 0, random.Next(2) == 0 ? null : RandomText(random, 1, 10)))]),
            KillGracePeriodSeconds = random.Next(0, 600),
            Labels = RandomMap(random, 4),
            HealthChecks = random.Next(3) == 0 ? FullLaunch.HealthChecks : ValueList<TaskHealthCheck>.Empty,
            Readiness = random.Next(3) == 0 ? FullLaunch.Readiness : null,
            Container = random.Next(3) == 0 ? null : RandomContainer(random),
        };
    }

    private static TaskContainer RandomContainer(Random random) => new()
    {
        Type = random.Next(2) == 0 ? ContainerType.Docker : ContainerType.Mesos,
        Image = random.Next(4) == 0 ? null : RandomText(random, 1, 40),
        ForcePullImage = random.Next(2) == 0,
        Privileged = random.Next(2) == 0,
        Parameters = new ValueList<DockerParameter>([.. Enumerable.Range(0, random.Next(3)).Select(_ => new DockerParameter(RandomText(random, 1, 8), RandomText(random, 0, 20)))]),
        Volumes = new ValueList<TaskVolume>([.. Enumerable.Range(0, random.Next(3)).Select(_ => new TaskVolume(
            RandomText(random, 1, 20), random.Next(2) == 0, random.Next(2) == 0 ? null : RandomText(random, 1, 20), random.Next(2) == 0 ? null : RandomText(random, 1, 20), random.Next(1000)))]),
        Networks = random.Next(2) == 0 ? new ValueList<NetworkSpec>([NetworkSpec.Host]) : new ValueList<NetworkSpec>([new NetworkSpec(NetworkMode.Container, RandomText(random, 1, 8), RandomMap(random, 2))]),
        PortMappings = new ValueList<PortMapping>([.. Enumerable.Range(0, random.Next(3)).Select(_ => new PortMapping(random.Next(65536), random.Next(2) == 0 ? null : random.Next(65536), random.Next(65536), "tcp", random.Next(2) == 0 ? null : RandomText(random, 1, 8), RandomMap(random, 2), new ValueList<string>([RandomText(random, 1, 5)])))]),
    };

    private static ValueMap<string> RandomMap(Random random, int max) =>
        new(Enumerable.Range(0, random.Next(max + 1)).Select(i => new KeyValuePair<string, string>(RandomText(random, 0, 10) + i, RandomText(random, 0, 20))));

    /// <summary>Numbers of every shape: integers, short and long fractions, tiny and huge magnitudes.</summary>
    private static double RandomNumber(Random random) => random.Next(5) switch
    {
        0 => random.Next(0, 100_000),
        1 => Math.Round(random.NextDouble() * 64, random.Next(1, 4)),
        2 => random.NextDouble(),
        3 => random.NextDouble() * 1e-7,
        _ => random.NextDouble() * 1e300,
    };

    /// <summary>Text that exercises escaping: quotes, backslashes, controls, HTML-sensitive and non-ASCII characters, surrogate pairs.</summary>
    private static string RandomText(Random random, int min, int max)
    {
        string[] pieces = ["a", "Z", "0", "_", ".", "-", "/", " ", "\"", "\\", "\n", "\t", "\u0001", "<", ">", "&", "'", "+", "é", "ß", "日本", "😀", "$PORT0", "%"];
        var builder = new StringBuilder();
        var length = random.Next(min, max + 1);
        while (builder.Length < length)
        {
            builder.Append(pieces[random.Next(pieces.Length)]);
        }
        return builder.ToString();
    }
}
