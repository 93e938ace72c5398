using System.Diagnostics;
using System.Text;
using Harrier.Testing;
using Xunit;

namespace Harrier.E2E.Tests;

public sealed class CliDeploymentAndEventsTests
{
    [Fact]
    public async Task DeploymentShowAndRollback_OnADeploymentThatCannotFinish()
    {
        // Two host ports on the agent: three one-port instances can never all launch, so the deployment waits.
        await using var dev = await HarrierDev.StartAsync("--ports", "31000-31001");
        var (_, _, post) = await dev.SendAsync(HttpMethod.Post, "/v2/apps", """{"id":"/starved","cmd":"sleep 3600","cpus":0.01,"mem":8,"instances":3}""");
        var id = post.Headers.GetValues("Marathon-Deployment-Id").Single();
        await Eventually.TrueAsync(() => dev.HostTasks("/starved").Count == 2, TimeSpan.FromSeconds(30), "two of three instances");

        var show = await dev.RunCliAsync("deployment", "show", id);
        Assert.True(show.Code == 0, show.Err);
        Assert.Contains("-> 2. ScaleApplication /starved", show.Out, StringComparison.Ordinal);

        var rollback = await dev.RunCliAsync("deployment", "rollback", id);
        Assert.True(rollback.Code == 0, rollback.Err);
        Assert.Contains("rolling back with deployment", rollback.Out, StringComparison.Ordinal);
        await Eventually.TrueAsync(() => dev.HostTasks("/starved").Count == 0, TimeSpan.FromSeconds(30), "the rollback to stop the new app's tasks");
        var watch = await dev.RunCliAsync("deployment", "watch", id);
        Assert.Equal(0, watch.Code);

        var missing = await dev.RunCliAsync("deployment", "show", id);
        Assert.Equal(1, missing.Code);

        // --force stops a deployment where it is: the app and its running instances stay.
        var (_, _, again) = await dev.SendAsync(HttpMethod.Post, "/v2/apps", """{"id":"/starved2","cmd":"sleep 3600","cpus":0.01,"mem":8,"instances":3}""");
        var id2 = again.Headers.GetValues("Marathon-Deployment-Id").Single();
        await Eventually.TrueAsync(() => dev.HostTasks("/starved2").Count == 2, TimeSpan.FromSeconds(30), "two of three instances");
        var stop = await dev.RunCliAsync("deployment", "rollback", id2, "--force");
        Assert.True(stop.Code == 0, stop.Err);
        Assert.Contains("stopped; its instances stay as they are", stop.Out, StringComparison.Ordinal);
        Assert.Empty((await dev.GetJsonAsync("/v2/deployments")).AsArray());
        Assert.Equal(2, dev.HostTasks("/starved2").Count);
    }

    [Fact]
    public async Task Events_TypeFilter_StreamsMatchingEventsLive()
    {
        await using var dev = await HarrierDev.StartAsync();
        var psi = new ProcessStartInfo(HarrierDev.Binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "events", "--type", "status_update_event", "--server", dev.Url.ToString() })
        {
            psi.ArgumentList.Add(a);
        }
        using var events = Process.Start(psi)!;
        var lines = new StringBuilder();
        events.OutputDataReceived += (_, e) => { lock (lines) { lines.AppendLine(e.Data); } };
        events.BeginOutputReadLine();
        try
        {
            // The stream is attached once the server sees a subscriber; post until an event shows up.
            await Eventually.TrueAsync(async () =>
            {
                await dev.SendAsync(HttpMethod.Post, "/v2/apps", """{"id":"/watched","cmd":"sleep 3600","cpus":0.01,"mem":8,"instances":1}""");
                lock (lines)
                {
                    return lines.ToString().Contains("TASK_RUNNING", StringComparison.Ordinal);
                }
            }, TimeSpan.FromSeconds(30), "a TASK_RUNNING status_update_event");
            string text;
            lock (lines)
            {
                text = lines.ToString();
            }
            Assert.All(text.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => Assert.StartsWith("status_update_event {", l, StringComparison.Ordinal));
        }
        finally
        {
            events.Kill();
            await events.WaitForExitAsync();
        }
    }
}
