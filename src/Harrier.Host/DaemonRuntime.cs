using Harrier.Linux;

namespace Harrier.Host;

/// <summary>
/// Runtime settings the daemons (<c>server</c>, <c>dev</c>, <c>sim</c>) need that .NET reads only from the environment,
/// before any managed code runs, so the process re-executes itself once, at start, with them set — same pid, same
/// arguments. A variable already set is kept; <c>HARRIER_GC_REEXEC=0</c> turns this off.
/// <list type="bullet">
/// <item><c>DOTNET_GCgen0size=0x4000000</c>: the GC sizes its youngest generation from the CPU cache size. Where the
/// cache is not reported (many VMs, including the 2-core machine the benchmarks run on) it falls back to about 1.5 MiB,
/// and a busy server collects hundreds of times a second: at 100,000 instances that was half the scheduler's time.</item>
/// <item><c>DOTNET_TC_CallCountingDelayMs=0</c>: the JIT promotes a hot method from its quick first compilation only
/// once no new method has been compiled for 100 ms. The first large deployment runs through code never run before, so
/// that quiet moment never came: 100,000 placements ran unoptimized from start to end (12.6 s instead of 10 s).</item>
/// </list>
/// </summary>
internal static class DaemonRuntime
{
    public static readonly IReadOnlyDictionary<string, string> Settings = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["DOTNET_GCgen0size"] = "0x4000000",
        ["DOTNET_TC_CallCountingDelayMs"] = "0",
    };

    /// <summary>Returns when nothing is to be done or the re-execution failed (the process then runs as it is).</summary>
    public static void Ensure()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("HARRIER_GC_REEXEC") == "0")
        {
            return;
        }
        var missing = Settings.Where(s => Environment.GetEnvironmentVariable(s.Key) is null).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        if (missing.Count == 0)
        {
            return;
        }
        var failure = ProcessImage.Reexecute(missing);
        Console.Error.WriteLine($"harrier: running with the default runtime settings ({failure})");
    }
}
