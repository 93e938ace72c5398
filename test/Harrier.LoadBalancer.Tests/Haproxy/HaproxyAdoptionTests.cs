using System.Diagnostics;
using Harrier.LoadBalancer.Haproxy;
using Shouldly;
using Xunit;

namespace Harrier.LoadBalancer.Tests.Haproxy;

/// <summary>A restarted balancer adopts the HAProxy its predecessor left running, and only that one.</summary>
public sealed class HaproxyAdoptionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartOrAdoptAsync_AfterDisposeWithoutStop_AdoptsSameMasterAndAppliesChanges()
    {
        await using var bed = HaproxyTestBed.Create(out var skip);
        Assert.SkipWhen(bed is null, skip ?? "");
        await using var a = new TinyBackend("a");
        await using var b = new TinyBackend("b");
        int master;
        await using (var first = bed.Supervisor())
        {
            await first.StartOrAdoptAsync(bed.Config([a]), Ct);
            master = first.MasterPid!.Value;
            bed.Track(master);
            // A reload re-executes the master with more arguments; it must still be recognised.
            (await first.ApplyAsync(bed.Config([a], "option  httpchk GET /"), Ct)).Outcome.ShouldBe(ApplyOutcome.Reloaded);
        }
        (await bed.AnswersAsync(2)).ShouldBe(["a"]);

        await using var second = bed.Supervisor();
        var result = await second.StartOrAdoptAsync(bed.Config([a, b], "option  httpchk GET /"), Ct);

        second.MasterPid.ShouldBe(master);
        result.Outcome.ShouldBe(ApplyOutcome.RuntimeOnly, result.ToString());
        (await second.ProcessesAsync(Ct)).Master.ShouldBe(master);
        AllPids().Where(p => IsMasterFor(bed, p)).ShouldBe([master]);
        (await bed.AnswersAsync(6)).ShouldBe(["a", "b"], ignoreOrder: true);
    }

    [Fact]
    public async Task StartOrAdoptAsync_PidFileNamesDeadProcess_StartsAfresh()
    {
        await using var bed = HaproxyTestBed.Create(out var skip);
        Assert.SkipWhen(bed is null, skip ?? "");
        await using var a = new TinyBackend("a");
        using var gone = Process.Start(new ProcessStartInfo("true"))!;
        await gone.WaitForExitAsync(Ct);
        Directory.CreateDirectory(bed.Paths.WorkDirectory);
        File.WriteAllText(bed.Paths.PidFile, gone.Id + "\n");
        await using var supervisor = bed.Supervisor();

        await supervisor.StartOrAdoptAsync(bed.Config([a]), Ct);
        bed.Track(supervisor.MasterPid);

        supervisor.MasterPid.ShouldNotBe(gone.Id);
        (await bed.AnswersAsync(2)).ShouldBe(["a"]);
    }

    [Fact]
    public async Task StartOrAdoptAsync_PidFileNamesForeignProcess_NotAdoptedNorStopped()
    {
        await using var bed = HaproxyTestBed.Create(out var skip);
        Assert.SkipWhen(bed is null, skip ?? "");
        await using var a = new TinyBackend("a");
        using var foreign = Process.Start(new ProcessStartInfo("sleep", ["60"]))!;
        try
        {
            File.WriteAllText(bed.Paths.PidFile, foreign.Id + "\n");
            await using var supervisor = bed.Supervisor();

            await supervisor.StartOrAdoptAsync(bed.Config([a]), Ct);
            bed.Track(supervisor.MasterPid);

            supervisor.MasterPid.ShouldNotBe(foreign.Id);
            foreign.HasExited.ShouldBeFalse();
            (await bed.AnswersAsync(2)).ShouldBe(["a"]);
        }
        finally
        {
            foreign.Kill();
        }
    }

    [Fact]
    public async Task StopAsync_Running_MasterAndWorkersExit()
    {
        await using var bed = HaproxyTestBed.Create(out var skip);
        Assert.SkipWhen(bed is null, skip ?? "");
        await using var a = new TinyBackend("a");
        await using var supervisor = bed.Supervisor();
        await supervisor.StartOrAdoptAsync(bed.Config([a]), Ct);
        var procs = await supervisor.ProcessesAsync(Ct);
        bed.Track(procs.Master);

        await supervisor.StopAsync(Ct);

        procs.Workers.Append(procs.Master).ShouldAllBe(p => !IsMasterFor(bed, p));
        await Should.ThrowAsync<HttpRequestException>(() => bed.GetAsync());
    }

    private static IEnumerable<int> AllPids() =>
        Directory.EnumerateDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var p) ? p : 0).Where(p => p > 0);

    /// <summary>A live HAProxy master (started with -W) loading this bed's config.</summary>
    private static bool IsMasterFor(HaproxyTestBed bed, int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            if (stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z'))
            {
                return false;
            }
            var argv = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            var parent = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1];
            // Workers are forks of the master with the same argv: a master is one whose parent is not such a process.
            return argv.Contains(bed.Paths.ConfigFile) && argv.Contains("-W") && !IsHaproxyFor(bed, int.Parse(parent));
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static bool IsHaproxyFor(HaproxyTestBed bed, int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0').Contains(bed.Paths.ConfigFile);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
