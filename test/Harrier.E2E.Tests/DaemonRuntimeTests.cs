using Xunit;

namespace Harrier.E2E.Tests;

/// <summary>Daemons re-execute themselves once with runtime settings (the gen-0 GC budget, immediate call counting) the runtime only takes from the environment.</summary>
public sealed class DaemonRuntimeTests
{
    [Fact]
    public async Task Server_RunsWithTheRuntimeSettings_InTheProcessThatWasStarted()
    {
        await using var server = await HarrierDev.StartServerAsync();
        var environment = await File.ReadAllTextAsync($"/proc/{server.Pid}/environ", TestContext.Current.CancellationToken);
        Assert.Contains("DOTNET_GCgen0size=0x4000000", environment.Split('\0'));
        Assert.Contains("DOTNET_TC_CallCountingDelayMs=0", environment.Split('\0'));
        // Same pid, same arguments: the test's process handle still is the server.
        var cmdline = (await File.ReadAllTextAsync($"/proc/{server.Pid}/cmdline", TestContext.Current.CancellationToken)).Split('\0');
        Assert.Equal("server", cmdline[1]);
        Assert.Equal("pong", await server.Http.GetStringAsync("/ping", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Dev_KeepsARuntimeSettingTheUserSet_AndAddsOnlyTheMissingOne()
    {
        await using var dev = await HarrierDev.StartUnderAsync(["env", "DOTNET_GCgen0size=0x8000000"]);
        var environment = (await File.ReadAllTextAsync($"/proc/{dev.Pid}/environ", TestContext.Current.CancellationToken)).Split('\0');
        Assert.Contains("DOTNET_GCgen0size=0x8000000", environment);
        Assert.DoesNotContain("DOTNET_GCgen0size=0x4000000", environment);
        Assert.Contains("DOTNET_TC_CallCountingDelayMs=0", environment);
        var cmdline = (await File.ReadAllTextAsync($"/proc/{dev.Pid}/cmdline", TestContext.Current.CancellationToken)).Split('\0');
        Assert.Equal("dev", cmdline[1]);
    }

    [Fact]
    public async Task Daemons_WatchNoFiles_AndReadNoSettings_InTheDirectoryTheyStartIn()
    {
        // A working directory with subdirectories (each would get an inotify watch) and an appsettings.json that a
        // host builder rooted there would read and fail on.
        var cwd = Directory.CreateTempSubdirectory("harrier-cwd-");
        try
        {
            Directory.CreateDirectory(Path.Combine(cwd.FullName, "a", "b"));
            Directory.CreateDirectory(Path.Combine(cwd.FullName, "c"));
            await File.WriteAllTextAsync(Path.Combine(cwd.FullName, "appsettings.json"), "{ not json", TestContext.Current.CancellationToken);

            await using var server = await HarrierDev.StartUnderAsync(["env", "-C", cwd.FullName], "--driver", "fake");
            Assert.Equal(0, InotifyWatches(server.Pid!.Value));
            await using var agent = new HarrierAgentProcess(server, "a", "--hostname", "127.0.0.2") { Prefix = ["env", "-C", cwd.FullName] };
            await agent.StartAsync(expectedAgents: 2);
            Assert.Equal(0, InotifyWatches(agent.Pid!.Value));
        }
        finally
        {
            cwd.Delete(recursive: true);
        }
    }

    /// <summary>The inotify watches a process holds: one <c>inotify wd:</c> line per watch in each inotify fd's fdinfo.</summary>
    private static int InotifyWatches(int pid) =>
        Directory.EnumerateFiles($"/proc/{pid}/fd")
            .Where(fd => new FileInfo(fd).LinkTarget == "anon_inode:inotify")
            .Sum(fd => File.ReadLines($"/proc/{pid}/fdinfo/{Path.GetFileName(fd)}").Count(l => l.StartsWith("inotify wd:", StringComparison.Ordinal)));
}
