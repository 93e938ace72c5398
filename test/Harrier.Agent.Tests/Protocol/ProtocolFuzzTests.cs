using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Harrier.Core.Collections;
using Harrier.Protocol;
using Harrier.Protocol.Json;
using Xunit;
using static Harrier.Agent.Tests.Protocol.ProtocolSamples;

namespace Harrier.Agent.Tests.Protocol;

/// <summary>
/// A bounded, seeded fuzz pass over the agent protocol's messages: every sample message, serialized and then cut,
/// garbled, or with a member replaced, removed or duplicated, is read as its own type and as a command. A reader may
/// only accept it or throw <see cref="JsonException"/> (what the endpoints turn into a 400, and the agent into a
/// skipped command); anything else, or memory that keeps growing, fails. The seed is printed and in every failure;
/// rerun one with <c>HARRIER_FUZZ_SEED=N</c>.
/// </summary>
public sealed class ProtocolFuzzTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(15);

    [Fact]
    public void Deserialize_MutatedMessages_AcceptOrThrowJsonExceptionOnly()
    {
        var seed = Environment.GetEnvironmentVariable("HARRIER_FUZZ_SEED") is { Length: > 0 } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : Environment.TickCount;
        TestContext.Current.TestOutputHelper?.WriteLine($"ProtocolFuzzTests seed {seed} (HARRIER_FUZZ_SEED={seed} reruns it)");
        var random = new Random(seed);
        var samples = Samples();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();
        var (count, accepted) = (0, 0);
        while (clock.Elapsed < Budget && count < 100_000)
        {
            var (type, json) = samples[random.Next(samples.Count)];
            var mutated = Mutate(random, json);
            foreach (var target in new[] { type, typeof(AgentCommand) })
            {
                count++;
                try
                {
                    Deserialize(target, Encoding.UTF8.GetBytes(mutated));
                    accepted++;
                }
                catch (JsonException)
                {
                    // Refused, as it should be.
                }
                catch (Exception e)
                {
                    Assert.Fail($"seed {seed}: reading {target.Name} threw {e.GetType().Name}: {e.Message}\n{mutated}");
                }
            }
        }
        var grown = GC.GetTotalMemory(forceFullCollection: true) - before;
        TestContext.Current.TestOutputHelper?.WriteLine($"{count} reads, {accepted} accepted, heap grew {grown / 1024} KiB");
        Assert.True(grown < 64 * 1024 * 1024, $"seed {seed}: the heap grew by {grown} bytes");
    }

    [Theory]
    [InlineData(100_000, '[')]
    [InlineData(100_000, '{')]
    public void Deserialize_DeeplyNested_ThrowsJsonException(int depth, char open)
    {
        var json = Encoding.UTF8.GetBytes(new string(open, depth));

        Assert.Throws<JsonException>(() => ProtocolJson.Deserialize<AgentCommand>(json));
        Assert.Throws<JsonException>(() => ProtocolJson.Deserialize<RegisterAgentRequest>(json));
    }

    /// <summary>The readers the agent protocol uses, by message type.</summary>
    private static readonly Dictionary<Type, Action<byte[]>> Readers = new()
    {
        [typeof(AgentCommand)] = b => ProtocolJson.Deserialize<AgentCommand>(b),
        [typeof(TaskStatusUpdate)] = b => ProtocolJson.Deserialize<TaskStatusUpdate>(b),
        [typeof(TaskHealthReport)] = b => ProtocolJson.Deserialize<TaskHealthReport>(b),
        [typeof(Core.Resources.AgentInfo)] = b => ProtocolJson.Deserialize<Core.Resources.AgentInfo>(b),
        [typeof(RegisterAgentRequest)] = b => ProtocolJson.Deserialize<RegisterAgentRequest>(b),
    };

    private static void Deserialize(Type type, byte[] utf8) => Readers[type](utf8);

    private static List<(Type Type, string Json)> Samples()
    {
        object[] messages =
        [
            new LaunchTaskCommand(FullLaunch), new LaunchTaskCommand(MinimalLaunch), new KillTaskCommand(SampleTask, 3),
            new AckStatusCommand(SampleTask, Update), new ReconcileCommand(new[] { SampleTask }),
            new UpdateTaskChecksCommand(SampleTask, FullLaunch.HealthChecks),
            FullStatus, MinimalStatus, FullHealthReport, MinimalHealthReport, FullAgentInfo, MinimalAgentInfo,
            new RegisterAgentRequest(ProtocolVersion.Current, FullAgentInfo, new ValueList<TaskReport>([new TaskReport(SampleTask, Core.Instances.TaskState.Running, "up")])),
        ];
        return [.. messages.Select(m => (m is AgentCommand ? typeof(AgentCommand) : m.GetType(), Encoding.UTF8.GetString(ProtocolJson.Serialize<object>(m))))];
    }

    private static string Mutate(Random random, string json)
    {
        switch (random.Next(5))
        {
            case 0:
                return json[..random.Next(json.Length + 1)];
            case 1:
                var chars = json.ToCharArray();
                for (var i = random.Next(1, 6); i > 0; i--)
                {
                    chars[random.Next(chars.Length)] = (char)random.Next(0, 128);
                }
                return new string(chars);
            default:
                var node = System.Text.Json.Nodes.JsonNode.Parse(json)!;
                for (var i = random.Next(1, 4); i > 0; i--)
                {
                    MutateNode(random, node);
                }
                return node.ToJsonString();
        }
    }

    private static void MutateNode(Random random, System.Text.Json.Nodes.JsonNode node)
    {
        while (true)
        {
            if (node is System.Text.Json.Nodes.JsonObject obj && obj.Count > 0)
            {
                var key = obj.ElementAt(random.Next(obj.Count)).Key;
                if (random.Next(3) == 0 || obj[key] is null or System.Text.Json.Nodes.JsonValue)
                {
                    if (random.Next(3) == 0)
                    {
                        obj.Remove(key);
                    }
                    else
                    {
                        obj[key] = RandomValue(random);
                    }
                    return;
                }
                node = obj[key]!;
            }
            else if (node is System.Text.Json.Nodes.JsonArray array && array.Count > 0)
            {
                var i = random.Next(array.Count);
                if (random.Next(3) == 0 || array[i] is null or System.Text.Json.Nodes.JsonValue)
                {
                    array[i] = RandomValue(random);
                    return;
                }
                node = array[i]!;
            }
            else
            {
                return;
            }
        }
    }

    private static System.Text.Json.Nodes.JsonNode? RandomValue(Random random) => random.Next(9) switch
    {
        0 => null,
        1 => System.Text.Json.Nodes.JsonValue.Create(true),
        2 => System.Text.Json.Nodes.JsonValue.Create(random.Next(-3, 5)),
        3 => System.Text.Json.Nodes.JsonValue.Create(long.MaxValue),
        4 => System.Text.Json.Nodes.JsonValue.Create(1e308),
        5 => System.Text.Json.Nodes.JsonValue.Create(new string('x', random.Next(0, 300))),
        6 => new System.Text.Json.Nodes.JsonArray(1, "a", null),
        7 => new System.Text.Json.Nodes.JsonObject { ["type"] = "kill" },
        _ => System.Text.Json.Nodes.JsonValue.Create("2026-11-22T08:30:00.123Z"),
    };
}
