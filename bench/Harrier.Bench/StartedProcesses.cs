using System.Diagnostics;

namespace Harrier.Bench;

/// <summary>Stops processes a benchmark started (by their handles, never by name) and disposes them.</summary>
internal static class StartedProcesses
{
    public static async Task StopAsync(IEnumerable<Process> processes)
    {
        foreach (var process in processes)
        {
            try
            {
                process.Kill();
                await process.WaitForExitAsync();
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            process.Dispose();
        }
    }
}
