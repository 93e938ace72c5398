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
}
