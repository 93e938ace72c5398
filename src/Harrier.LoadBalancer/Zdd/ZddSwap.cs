using System.Text.Json.Nodes;

namespace Harrier.LoadBalancer.Zdd;

/// <summary>
/// Moves traffic from the old colour to the new one (zdd.py's swap_zdd_apps), one round at a time: re-read both
/// apps; wait while the new one deploys; find the old tasks every balancer has drained (<see cref="ZddDrainWait"/>);
/// when done delete the old app (a hybrid deploy keeps both); else run the pre-kill hook, kill the drained tasks
/// with <c>scale=true</c> and grow the new app one step. Every wait is bounded: the new app deploying for longer
/// than <c>--max-wait</c>, or a round after the drain wait timed out that neither kills nor scales, fails with the
/// reason (nothing is lost: both colours stay, and <c>--resume</c> picks up).
/// </summary>
internal sealed class ZddSwap(ZddArguments args, ZddMarathonClient marathon, ZddDrainWait drainWait, ZddConsole console, TimeProvider time)
{
    public async Task RunAsync(string newId, string oldId, CancellationToken ct)
    {
        long? deployingSince = null;
        long? drainingSince = null;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var oldApp = await marathon.GetAppAsync(oldId, "read the old app", ct);
            var newApp = await marathon.GetAppAsync(newId, "read the new app", ct);
            if (ZddAppJson.DeploymentInProgress(newApp))
            {
                deployingSince ??= time.GetTimestamp();
                if (time.GetElapsedTime(deployingSince.Value) >= args.MaxWait)
                {
                    throw new ZddFailure("wait for the new app's deployment", $"{newId} is still deploying after {args.MaxWait.TotalSeconds:0.#} s");
                }
                await console.WaitingAsync($"{newId} is deploying");
                await Task.Delay(ZddTiming.Step(args), time, ct);
                continue;
            }
            deployingSince = null;
            drainingSince ??= time.GetTimestamp();

            var (toKill, timedOut) = await drainWait.FindTasksToKillAsync(newApp, oldApp, drainingSince.Value, ct);
            const string step = "scale";
            var newLabel = ZddAppJson.NewInstanceCount(newApp, step);
            var hybrid = ZddScaling.IsHybrid(newLabel, args.CompleteCur, args.CompletePrev);
            var newInstances = ZddAppJson.Instances(newApp);
            var target = ZddAppJson.DeploymentTarget(newApp, step);
            if (ZddScaling.ReadyToDeleteOld(hybrid, newInstances, target, newLabel, ZddAppJson.Instances(oldApp), ZddAppJson.DeploymentTarget(oldApp, step), toKill.Count))
            {
                await FinishAsync(hybrid, oldId, newId, ct);
                return;
            }

            var progressed = false;
            if (toKill.Count > 0)
            {
                await KillAsync(oldApp, newApp, toKill, ct);
                progressed = true;
            }
            var limit = hybrid ? newLabel : target;
            if (newInstances < limit)
            {
                var next = ZddScaling.NextInstances(newInstances, ZddAppJson.Instances(oldApp), target, newLabel, hybrid, args.LinearIncrease);
                await console.ProgressAsync($"scaling {newId} from {newInstances} to {next} instances");
                await marathon.ScaleAsync(newId, newApp, next, "scale the new app", ct);
                progressed = true;
            }
            if (progressed)
            {
                drainingSince = null;
            }
            else if (timedOut)
            {
                throw new ZddFailure(ZddDrainWait.Step, $"no old task of {oldId} drained within {args.MaxWait.TotalSeconds:0.#} s and {newId} is at {newInstances} of {limit} instances: nothing left to do");
            }
        }
    }

    private async Task KillAsync(JsonObject oldApp, JsonObject newApp, IReadOnlyList<string> toKill, CancellationToken ct)
    {
        var ids = new JsonArray([.. toKill.Select(t => (JsonNode)t)]);
        if (args.PreKillHook is { } hook)
        {
            await console.ProgressAsync($"running the pre-kill hook {hook}");
            await ZddPreKillHook.RunAsync(hook, oldApp.ToJsonString(), ids.ToJsonString(), newApp.ToJsonString(), args.MaxWait, ct);
        }
        await console.ProgressAsync($"{toKill.Count} old tasks drained on every balancer, killing them:\n  - {string.Join("\n  - ", toKill)}");
        if (!await console.ConfirmAsync("Continue?", ct))
        {
            throw new ZddFailure("kill drained tasks", "not confirmed; both colours are left running (--resume goes on)");
        }
        await marathon.KillTasksAsync(toKill, "kill drained tasks", ct);
    }

    private async Task FinishAsync(bool hybrid, string oldId, string newId, CancellationToken ct)
    {
        if (hybrid)
        {
            await console.ProgressAsync($"hybrid deploy in place: {newId} and {oldId} both serve; finish later with --complete-cur or --complete-prev");
            return;
        }
        await console.ProgressAsync($"{newId} is at its target and every old task is drained; deleting {oldId}");
        if (!await console.ConfirmAsync("Continue?", ct))
        {
            throw new ZddFailure("delete the old app", $"not confirmed; {oldId} is left running");
        }
        await marathon.DeleteAppAsync(oldId, "delete the old app", ct);
        await console.ProgressAsync($"deleted {oldId}; {newId} serves alone");
    }
}
