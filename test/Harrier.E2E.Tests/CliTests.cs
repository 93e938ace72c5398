using System.Diagnostics;
using System.Text.Json.Nodes;
using Harrier.Testing;
using Xunit;

namespace Harrier.E2E.Tests;

/// <summary>The <c>harrier</c> CLI verbs against a running <c>harrier dev</c>, as a person types them.</summary>
public sealed class CliTests
{
    [Fact]
    public async Task AppVerbs_AddListScaleTasksLogsRemove_AgainstRealServer()
    {
        await using var dev = await HarrierDev.StartAsync();
        var file = Path.Combine(dev.DataDir, "hello.json");
        await File.WriteAllTextAsync(file, """{"id":"/cli/hello","cmd":"while true; do echo hello-from-cli; sleep 1; done","cpus":0.05,"mem":16,"instances":1}""");

        var add = await dev.RunCliAsync("app", "add", file);
        Assert.True(add.Code == 0, add.Err);
        Assert.Contains("/cli/hello", add.Out, StringComparison.Ordinal);
        await dev.WaitForRunningAsync("/cli/hello", 1);

        var list = await dev.RunCliAsync("app", "list");
        Assert.Equal(0, list.Code);
        Assert.Contains("/cli/hello", list.Out, StringComparison.Ordinal);

        var json = await dev.RunCliAsync("app", "list", "--json");
        Assert.Equal("/cli/hello", JsonNode.Parse(json.Out)!["apps"]![0]!["id"]!.GetValue<string>());

        var scale = await dev.RunCliAsync("app", "scale", "/cli/hello", "2");
        Assert.True(scale.Code == 0, scale.Err);
        var tasks = await dev.WaitForRunningAsync("/cli/hello", 2);
        Assert.Equal(2, dev.HostTasks("/cli/hello").Count);

        var taskList = await dev.RunCliAsync("task", "list");
        Assert.Equal(0, taskList.Code);
        foreach (var t in tasks)
        {
            Assert.Contains(t!["id"]!.GetValue<string>(), taskList.Out, StringComparison.Ordinal);
        }

        var taskId = tasks[0]!["id"]!.GetValue<string>();
        await Eventually.TrueAsync(async () =>
        {
            var logs = await dev.RunCliAsync("logs", taskId, "--tail", "5");
            return logs.Code == 0 && logs.Out.Contains("hello-from-cli", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(20), "logs through the CLI");

        var show = await dev.RunCliAsync("app", "show", "/cli/hello");
        Assert.Equal(0, show.Code);
        Assert.Contains("while true", show.Out, StringComparison.Ordinal);

        var remove = await dev.RunCliAsync("app", "remove", "/cli/hello");
        Assert.True(remove.Code == 0, remove.Err);
        await Eventually.TrueAsync(() => dev.HostTasks("/cli/hello").Count == 0, TimeSpan.FromSeconds(20), "processes gone after remove");

        var missing = await dev.RunCliAsync("app", "show", "/cli/hello");
        Assert.Equal(1, missing.Code);
        Assert.Contains("does not exist", missing.Err + missing.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppAdd_InvalidDefinition_PrintsMarathonDetailsAndFails()
    {
        await using var dev = await HarrierDev.StartAsync();
        var file = Path.Combine(dev.DataDir, "bad.json");
        await File.WriteAllTextAsync(file, """{"id":"/bad","cmd":"sleep 1","cpus":-1}""");
        var add = await dev.RunCliAsync("app", "add", file);
        Assert.Equal(1, add.Code);
        Assert.Contains("/cpus", add.Err + add.Out, StringComparison.Ordinal);
    }
}
