using System.Diagnostics;
using System.Text.Json.Nodes;
using Harrier.Testing;
using Xunit;

namespace Harrier.E2E.Tests;

/// <summary>The <c>harrier</c> CLI verbs against a running <c>harrier dev</c>, as a person types them.</summary>
public sealed class CliTests
{
    private static async Task<(int Code, string Out, string Err)> Harrier(HarrierDev dev, params string[] args)
    {
        var psi = new ProcessStartInfo(HarrierDev.Binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["HARRIER_URL"] = dev.Url.ToString();
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(timeout.Token);
        return (p.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task AppVerbs_AddListScaleTasksLogsRemove_AgainstRealServer()
    {
        await using var dev = await HarrierDev.StartAsync();
        var file = Path.Combine(dev.DataDir, "hello.json");
        await File.WriteAllTextAsync(file, """{"id":"/cli/hello","cmd":"while true; do echo hello-from-cli; sleep 1; done","cpus":0.05,"mem":16,"instances":1}""");

        var add = await Harrier(dev, "app", "add", file);
        Assert.True(add.Code == 0, add.Err);
        Assert.Contains("/cli/hello", add.Out, StringComparison.Ordinal);
        await dev.WaitForRunningAsync("/cli/hello", 1);

        var list = await Harrier(dev, "app", "list");
        Assert.Equal(0, list.Code);
        Assert.Contains("/cli/hello", list.Out, StringComparison.Ordinal);

        var json = await Harrier(dev, "app", "list", "--json");
        Assert.Equal("/cli/hello", JsonNode.Parse(json.Out)!["apps"]![0]!["id"]!.GetValue<string>());

        var scale = await Harrier(dev, "app", "scale", "/cli/hello", "2");
        Assert.True(scale.Code == 0, scale.Err);
        var tasks = await dev.WaitForRunningAsync("/cli/hello", 2);
        Assert.Equal(2, dev.HostTasks("/cli/hello").Count);

        var taskList = await Harrier(dev, "task", "list");
        Assert.Equal(0, taskList.Code);
        foreach (var t in tasks)
        {
            Assert.Contains(t!["id"]!.GetValue<string>(), taskList.Out, StringComparison.Ordinal);
        }

        var taskId = tasks[0]!["id"]!.GetValue<string>();
        await Eventually.TrueAsync(async () =>
        {
            var logs = await Harrier(dev, "logs", taskId, "--tail", "5");
            return logs.Code == 0 && logs.Out.Contains("hello-from-cli", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(20), "logs through the CLI");

        var show = await Harrier(dev, "app", "show", "/cli/hello");
        Assert.Equal(0, show.Code);
        Assert.Contains("while true", show.Out, StringComparison.Ordinal);

        var remove = await Harrier(dev, "app", "remove", "/cli/hello");
        Assert.True(remove.Code == 0, remove.Err);
        await Eventually.TrueAsync(() => dev.HostTasks("/cli/hello").Count == 0, TimeSpan.FromSeconds(20), "processes gone after remove");

        var missing = await Harrier(dev, "app", "show", "/cli/hello");
        Assert.Equal(1, missing.Code);
        Assert.Contains("does not exist", missing.Err + missing.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppAdd_InvalidDefinition_PrintsMarathonDetailsAndFails()
    {
        await using var dev = await HarrierDev.StartAsync();
        var file = Path.Combine(dev.DataDir, "bad.json");
        await File.WriteAllTextAsync(file, """{"id":"/bad","cmd":"sleep 1","cpus":-1}""");
        var add = await Harrier(dev, "app", "add", file);
        Assert.Equal(1, add.Code);
        Assert.Contains("/cpus", add.Err + add.Out, StringComparison.Ordinal);
    }
}
