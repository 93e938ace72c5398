using Harrier.Linux;

namespace Harrier.Host;

/// <summary>
/// The GC sizes its youngest generation from the CPU cache size. Where the cache is not reported (many VMs, including
/// the 2-core machine the benchmarks run on) it falls back to about 1.5 MiB, and a busy server collects hundreds of
/// times a second: at 100,000 instances that was half the scheduler's time. The daemons (<c>server</c>, <c>dev</c>,
/// <c>sim</c>) therefore run with a 64 MiB gen-0 budget. The runtime reads that only from the environment
/// (<c>DOTNET_GCgen0size</c>) before any managed code runs, so the process re-executes itself once, at start, with it
/// set — same pid, same arguments. An explicit <c>DOTNET_GCgen0size</c> is kept; <c>HARRIER_GC_REEXEC=0</c> turns this off.
/// </summary>
internal static class DaemonRuntime
{
    public const string Variable = "DOTNET_GCgen0size";
    public const string Budget = "0x4000000";

    /// <summary>Returns when nothing is to be done or the re-execution failed (the process then runs as it is).</summary>
    public static void Ensure()
    {
        if (!OperatingSystem.IsLinux()
            || Environment.GetEnvironmentVariable(Variable) is not null
            || Environment.GetEnvironmentVariable("HARRIER_GC_REEXEC") == "0")
        {
            return;
        }
        var failure = ProcessImage.Reexecute(new Dictionary<string, string> { [Variable] = Budget });
        Console.Error.WriteLine($"harrier: running with the default GC budget ({failure})");
    }
}
