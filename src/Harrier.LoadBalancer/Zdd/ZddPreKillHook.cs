using System.Diagnostics;

namespace Harrier.LoadBalancer.Zdd;

/// <summary>
/// Runs <c>--pre-kill-hook EXE OLD_APP_JSON TASK_IDS_JSON NEW_APP_JSON</c> before each kill (zdd.py's
/// execute_pre_kill_hook). Exit 0 lets the deploy go on; anything else, a start failure, or running past the bound
/// (the process tree is then killed) stops it.
/// </summary>
internal static class ZddPreKillHook
{
    public const string Step = "pre-kill hook";

    public static async Task RunAsync(string executable, string oldAppJson, string taskIdsJson, string newAppJson, TimeSpan bound, CancellationToken ct)
    {
        var start = new ProcessStartInfo(executable) { UseShellExecute = false };
        start.ArgumentList.Add(oldAppJson);
        start.ArgumentList.Add(taskIdsJson);
        start.ArgumentList.Add(newAppJson);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new ZddFailure(Step, $"{executable} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ZddFailure(Step, $"cannot run {executable}: {e.Message}");
        }
        using (process)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(bound);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                ct.ThrowIfCancellationRequested();
                throw new ZddFailure(Step, $"{executable} still running after {bound.TotalSeconds:0.#} s; killed it, stopping before the kill");
            }
            if (process.ExitCode != 0)
            {
                throw new ZddFailure(Step, $"{executable} exited {process.ExitCode}; stopping before the kill (an operator must intervene, then --resume)");
            }
        }
    }
}
