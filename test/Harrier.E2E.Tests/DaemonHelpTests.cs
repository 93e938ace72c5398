using System.Diagnostics;
using Xunit;

namespace Harrier.E2E.Tests;

/// <summary><c>harrier server --help</c> and <c>harrier agent --help</c> print their own flags on stdout and exit 0.</summary>
public sealed class DaemonHelpTests
{
    [Theory]
    [InlineData("server", "Usage: harrier server", "--recover-from-agents")]
    [InlineData("server", "Usage: harrier server", "--max-instances-per-app")]
    [InlineData("server", "Usage: harrier server", "--new-group-enforce-role top|off")]
    [InlineData("dev", "Usage: harrier dev", "--new-group-enforce-role top|off")]
    [InlineData("agent", "Usage: harrier agent --server URL", "--work-dir DIR")]
    [InlineData("dev", "Usage: harrier dev", "--recover-from-agents")]
    public async Task Help_PrintsTheVerbsOwnFlagsOnStdout(string verb, string usage, string flag)
    {
        var (code, stdout, stderr) = await RunAsync(verb, "--help");

        Assert.Equal(0, code);
        Assert.StartsWith(usage, stdout.TrimStart(), StringComparison.Ordinal);
        Assert.Contains(flag, stdout, StringComparison.Ordinal);
        Assert.Equal("", stderr);
        if (verb != "dev")
        {
            Assert.DoesNotContain("harrier dev", stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AgentHelp_ListsNoServerOnlyFlags()
    {
        var (_, stdout, _) = await RunAsync("agent", "--help");

        Assert.DoesNotContain("--orphan-grace", stdout, StringComparison.Ordinal);
        Assert.Contains("--oci-runtime", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownFlag_NamesTheVerbAndExits64()
    {
        var (code, _, stderr) = await RunAsync("server", "--no-such-flag", "1");

        Assert.Equal(64, code);
        Assert.StartsWith("harrier server: --no-such-flag 1: unknown flag", stderr, StringComparison.Ordinal);
        Assert.Contains("Usage: harrier server", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var psi = new ProcessStartInfo(HarrierDev.Binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["HARRIER_GC_REEXEC"] = "0";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await p.WaitForExitAsync(timeout.Token);
        return (p.ExitCode, await stdout, await stderr);
    }
}
