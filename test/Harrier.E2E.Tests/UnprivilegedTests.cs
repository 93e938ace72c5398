using System.Net;
using Harrier.Testing;
using Xunit;

namespace Harrier.E2E.Tests;

/// <summary><c>harrier dev</c> as an ordinary user: no cgroups, a warning at start, and everything else works.</summary>
public sealed class UnprivilegedTests
{
    [Fact]
    public async Task HarrierDev_AsNobody_WarnsAtStartAndRunsTasks()
    {
        Assert.SkipWhen(Requirements.Root() is not null, Requirements.Root() ?? "");
        Assert.SkipWhen(Requirements.Binary("setpriv") is not null, Requirements.Binary("setpriv") ?? "");
        await using var dev = await HarrierDev.StartUnderAsync(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]);
        await Eventually.TrueAsync(() => dev.Output.Contains("Tasks run without cgroup limits", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the no-cgroups warning");

        var (status, _, _) = await dev.SendAsync(HttpMethod.Post, "/v2/apps", """{"id":"/plain","cmd":"echo port=$PORT0; sleep 300","cpus":0.1,"mem":16,"instances":1}""");
        Assert.Equal(HttpStatusCode.Created, status);
        var task = (await dev.WaitForRunningAsync("/plain", 1))[0]!;
        var port = task["ports"]![0]!.GetValue<int>();
        var pid = dev.TaskProcesses().First(p => p.AppId == "/plain").Pid;
        Assert.Contains("Uid:\t65534", await File.ReadAllTextAsync($"/proc/{pid}/status"), StringComparison.Ordinal);
        await Eventually.TrueAsync(async () =>
            (await dev.Http.GetStringAsync($"/v2/apps/plain/tasks/{task["id"]}/logs")).Contains($"port={port}", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "the task's stdout");
    }
}
