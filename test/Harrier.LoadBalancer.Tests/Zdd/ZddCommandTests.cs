using System.Diagnostics;
using System.Text.Json.Nodes;
using Shouldly;
using Xunit;

namespace Harrier.LoadBalancer.Tests.Zdd;

/// <summary>Whole zdd runs against the fake server and balancers, in fake time.</summary>
public sealed class ZddCommandTests
{
    private const string Old = "2024-01-01T00:00:00.000000";
    private const string Newer = "2024-02-01T00:00:00.000000";

    [Fact]
    public async Task RunAsync_BlueDeployed_CreatesGreenScalesKillsOnlyDrainedAndDeletesBlue()
    {
        using var s = new ZddScenario();
        s.Cluster.AddApp(ZddScenario.Deployed("blue", 10000, 3, Old));
        var blueTasks = s.Cluster.App("/web-blue").Tasks.Select(t => t.Id).ToList();

        var (exit, stdout, stderr) = await s.RunAsync(["--force", "--max-wait", "30"]);

        exit.ShouldBe(0, stderr);
        var created = s.Cluster.Created.ShouldHaveSingleItem();
        created["id"]!.GetValue<string>().ShouldBe("/web-green");
        created["instances"]!.GetValue<int>().ShouldBe(1);
        created["portDefinitions"]![0]!["port"]!.GetValue<int>().ShouldBe(10001);
        created["labels"]!["HAPROXY_0_PORT"]!.GetValue<string>().ShouldBe("10000");
        created["labels"]!["HAPROXY_DEPLOYMENT_COLOUR"]!.GetValue<string>().ShouldBe("green");
        created["labels"]!["HAPROXY_DEPLOYMENT_TARGET_INSTANCES"]!.GetValue<string>().ShouldBe("3");
        created["labels"]!["HAPROXY_DEPLOYMENT_NEW_INSTANCES"]!.GetValue<string>().ShouldBe("0");
        created["labels"]!["HAPROXY_APP_ID"]!.GetValue<string>().ShouldBe("web");
        JsonNode.Parse(stdout)!["id"]!.GetValue<string>().ShouldBe("/web-green");
        s.Cluster.Scales.ShouldBe([("/web-green", 2), ("/web-green", 3)]);
        s.Cluster.Kills.ShouldAllBe(k => k.Count > 0);
        s.Cluster.Kills.SelectMany(k => k).ShouldBeSubsetOf(blueTasks);
        s.Cluster.KillViolations.ShouldBeEmpty();
        s.Cluster.Deletes.ShouldBe(["/web-blue"]);
        s.Cluster.AppIds.ShouldBe(["/web-green"]);
        s.Cluster.App("/web-green").Instances.ShouldBe(3);
    }

    [Fact]
    public async Task RunAsync_AppWithResourceLimits_ScalingTheNewColourKeepsThem()
    {
        using var s = new ZddScenario();
        var limits = new JsonObject { ["cpus"] = "unlimited", ["mem"] = 256 };
        var user = ZddScenario.UserApp(3);
        user["resourceLimits"] = limits.DeepClone();
        File.WriteAllText(s.AppPath, user.ToJsonString());
        var blue = ZddScenario.Deployed("blue", 10000, 3, Old);
        blue["resourceLimits"] = limits.DeepClone();
        s.Cluster.AddApp(blue);

        var (exit, _, stderr) = await s.RunAsync(["--force", "--max-wait", "30"]);

        exit.ShouldBe(0, stderr);
        s.Cluster.Scales.ShouldBe([("/web-green", 2), ("/web-green", 3)]);
        // Marathon clears resourceLimits on a PUT without them (a config change that restarts the tasks): zdd.py's bare
        // {"instances": N} stripped them from the new colour mid-swap.
        (s.Cluster.App("/web-green").Definition["resourceLimits"]?.ToJsonString()).ShouldBe(limits.ToJsonString());
    }

    [Fact]
    public async Task RunAsync_SecondDeploy_FlipsColourAndServicePortBack()
    {
        using var s = new ZddScenario();
        s.Cluster.AddApp(ZddScenario.Deployed("blue", 10000, 3, Old));
        (await s.RunAsync(["--force"])).Exit.ShouldBe(0);

        var (exit, _, stderr) = await s.RunAsync(["--force"]);

        exit.ShouldBe(0, stderr);
        s.Cluster.Created.Count.ShouldBe(2);
        s.Cluster.Created[1]["id"]!.GetValue<string>().ShouldBe("/web-blue");
        s.Cluster.Created[1]["portDefinitions"]![0]!["port"]!.GetValue<int>().ShouldBe(10000);
        s.Cluster.Deletes.ShouldBe(["/web-blue", "/web-green"]);
        s.Cluster.AppIds.ShouldBe(["/web-blue"]);
        s.Cluster.KillViolations.ShouldBeEmpty();
    }

    [Fact]
    public async Task RunAsync_OldTaskWithOpenSessions_KilledOnlyAfterItDrained()
    {
        using var s = new ZddScenario(10);
        s.Cluster.AddApp(ZddScenario.Deployed("blue", 10000, 10, Old, target: 10));
        // The fourth round disables blue's 4th and 5th tasks together; the 5th keeps a session for 20 more polls, so
        // only the 4th dies then, and the 5th goes with the app once it drained.
        var busy = s.Cluster.App("/web-blue").Tasks[4];
        s.Cluster.Busy[busy.Port] = 40;

        var (exit, _, stderr) = await s.RunAsync(["--force", "--max-wait", "300"]);

        exit.ShouldBe(0, stderr);
        s.Cluster.Kills.ShouldContain(k => k.SequenceEqual(new[] { "web-blue.0004" }));
        s.Cluster.Kills.SelectMany(k => k).ShouldNotContain(busy.Id);
        s.Cluster.KillViolations.ShouldBeEmpty();
        s.Cluster.Busy.ShouldBeEmpty();
        s.Cluster.Deletes.ShouldBe(["/web-blue"]);
    }

    [Fact]
    public async Task RunAsync_SessionsOutlastMaxWait_KillsTheDrainingTaskAnyway()
    {
        using var s = new ZddScenario();
        s.Cluster.AddApp(ZddScenario.Deployed("blue", 10000, 3, Old));
        var first = s.Cluster.App("/web-blue").Tasks[0];
        s.Cluster.Busy[first.Port] = int.MaxValue;

        var (exit, _, stderr) = await s.RunAsync(["--force", "--max-wait", "20"]);

        exit.ShouldBe(0, stderr);
        stderr.ShouldContain("timed out after 20 s");
        s.Cluster.KillViolations.ShouldBe([$"{first.Id} killed while lb1 did not show it drained", $"{first.Id} killed while lb2 did not show it drained"]);
        s.Cluster.Deletes.ShouldBe(["/web-blue"]);
    }

    [Fact]
    public async Task RunAsync_SessionsOnOneBalancerOutlastMaxWait_FinishesAfterTheWait()
    {
        using var s = new ZddScenario();
        s.Cluster.AddApp(ZddScenario.Deployed("blue", 10000, 3, Old));
        var first = s.Cluster.App("/web-blue").Tasks[0];
        s.Cluster.Busy[first.Port] = int.MaxValue;
        s.Cluster.BusyOnlyOn = 2;

        var (exit, _, stderr) = await s.RunAsync(["--force", "--max-wait", "20"]);

        exit.ShouldBe(0, stderr);
        stderr.ShouldContain("timed out after 20 s waiting for tasks to drain (backend web_10000: servers drained, but no task of /web-blue on every balancer); going on with the 1 draining tasks");
        s.Cluster.Kills.SelectMany(k => k).ShouldNotContain(first.Id);
        s.Cluster.Deletes.ShouldBe(["/web-blue"]);
    }

    [Fact]
    public async Task RunAsync_StuckPairWithoutFlags_FailsAndNamesResume()
    {
        using var s = new ZddScenario();
        s.Cluster.AddApp(ZddScenario.Deployed("blue", 10000, 3, Old));
        s.Cluster.AddApp(ZddScenario.Deployed("green", 10001, 1, Newer));

        var (exit, _, stderr) = await s.RunAsync(["--force"]);

        exit.ShouldBe(1);
        stderr.ShouldContain("error: resume:");
        stderr.ShouldContain("--resume");
        s.Cluster.Created.ShouldBeEmpty();
        s.Cluster.Kills.ShouldBeEmpty();
    }

    [Fact]
    public async Task RunAsync_ResumeOnStuckPair_FinishesOnTheNewestColour()
    {
        using var s = new ZddScenario();
        s.Cluster.AddApp(ZddScenario.Deployed("blue", 10000, 3, Old));
        s.Cluster.AddApp(ZddScenario.Deployed("green", 10001, 1, Newer));

        var (exit, _, stderr) = await s.RunAsync(["--force", "--resume"]);

        exit.ShouldBe(0, stderr);
        s.Cluster.Created.ShouldBeEmpty();
        s.Cluster.Deletes.ShouldBe(["/web-blue"]);
        s.Cluster.App("/web-green").Instances.ShouldBe(3);
        s.Cluster.KillViolations.ShouldBeEmpty();
    }

    [Fact]
    public async Task RunAsync_CompleteCurOnHybridPair_KeepsTheCurrentColour()
    {
        using var s = HybridPair();

        var (exit, _, stderr) = await s.RunAsync(["--force", "--complete-cur"]);

        exit.ShouldBe(0, stderr);
        s.Cluster.Deletes.ShouldBe(["/web-blue"]);
        s.Cluster.App("/web-green").Instances.ShouldBe(3);
        s.Cluster.KillViolations.ShouldBeEmpty();
    }

    [Fact]
    public async Task RunAsync_CompletePrevOnHybridPair_KeepsThePreviousColour()
    {
        using var s = HybridPair();

        var (exit, _, stderr) = await s.RunAsync(["--force", "--complete-prev"]);

        exit.ShouldBe(0, stderr);
        s.Cluster.Deletes.ShouldBe(["/web-green"]);
        s.Cluster.App("/web-blue").Instances.ShouldBe(3);
        s.Cluster.KillViolations.ShouldBeEmpty();
    }

    [Fact]
    public async Task RunAsync_NewInstances_LeavesAHybridPair()
    {
        using var s = new ZddScenario();
        s.Cluster.AddApp(ZddScenario.Deployed("blue", 10000, 3, Old));

        var (exit, _, stderr) = await s.RunAsync(["--force", "--new-instances", "1", "--max-wait", "20"]);

        exit.ShouldBe(0, stderr);
        s.Cluster.Created.ShouldHaveSingleItem()["labels"]!["HAPROXY_DEPLOYMENT_NEW_INSTANCES"]!.GetValue<string>().ShouldBe("1");
        s.Cluster.Deletes.ShouldBeEmpty();
        s.Cluster.App("/web-blue").Instances.ShouldBe(2);
        s.Cluster.App("/web-green").Instances.ShouldBe(1);
        s.Cluster.KillViolations.ShouldBeEmpty();
    }

    [Fact]
    public async Task RunAsync_BalancersNeverDrainTheOldColour_FailsAfterMaxWaitInsteadOfLoopingForever()
    {
        using var s = new ZddScenario();
        s.Cluster.AddApp(ZddScenario.Deployed("blue", 10000, 2, Old));
        s.Cluster.AddApp(ZddScenario.Deployed("green", 10001, 3, Newer));
        s.Cluster.NeverDrain = true;

        var (exit, _, stderr) = await s.RunAsync(["--force", "--resume", "--max-wait", "30"]);

        exit.ShouldBe(1);
        stderr.ShouldContain("error: wait for the balancers to drain the old tasks: no old task of /web-blue drained within 30 s and /web-green is at 3 of 3 instances: nothing left to do");
        s.Cluster.Kills.ShouldBeEmpty();
        s.Cluster.Deletes.ShouldBeEmpty();
    }

    [Fact]
    public async Task RunAsync_BalancerUnreachable_FailsAfterMaxWaitNamingIt()
    {
        using var s = new ZddScenario();
        s.Cluster.AddApp(ZddScenario.Deployed("blue", 10000, 3, Old));
        s.Cluster.Unreachable.Add(2);
        var clock = Stopwatch.StartNew();

        var (exit, _, stderr) = await s.RunAsync(["--force", "--max-wait", "60"]);

        exit.ShouldBe(1);
        stderr.ShouldContain("error: wait for the balancers to drain the old tasks: no usable stats from the balancers within 60 s");
        stderr.ShouldContain("http://lb2.test:9090/_haproxy_getpids: Connection refused");
        s.Cluster.Kills.ShouldBeEmpty();
        s.Cluster.Deletes.ShouldBeEmpty();
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task RunAsync_BalancerServesGarbage_FailsWithAClearMessage()
    {
        using var s = new ZddScenario();
        s.Cluster.AddApp(ZddScenario.Deployed("blue", 10000, 3, Old));
        s.Cluster.BadStats[1] = "<html>\n<body>502 Bad Gateway</body>\n";

        var (exit, _, stderr) = await s.RunAsync(["--force", "--max-wait", "10"]);

        exit.ShouldBe(1);
        stderr.ShouldContain("http://lb1.test:9090/haproxy?stats;csv: line 1 comes before the '# pxname,svname,…' header: not HAProxy CSV stats");
        s.Cluster.Kills.ShouldBeEmpty();
    }

    [Fact]
    public async Task RunAsync_DryRun_PrintsTheAppAndChangesNothing()
    {
        using var s = new ZddScenario();
        s.Cluster.AddApp(ZddScenario.Deployed("blue", 10000, 3, Old));

        var (exit, stdout, _) = await s.RunAsync(["--dry-run"]);

        exit.ShouldBe(0);
        JsonNode.Parse(stdout)!["id"]!.GetValue<string>().ShouldBe("/web-green");
        s.Cluster.Requests.ShouldBe(["GET http://marathon.test/v2/apps"]);
    }

    [Fact]
    public async Task RunAsync_NoForceAndNoAnswer_CreatesNothing()
    {
        using var s = new ZddScenario();
        s.Cluster.AddApp(ZddScenario.Deployed("blue", 10000, 3, Old));

        var (exit, stdout, stderr) = await s.RunAsync([]);

        exit.ShouldBe(1);
        stdout.ShouldContain("Continue with deployment? [Y/n]");
        stderr.ShouldContain("error: create the new app: not confirmed");
        s.Cluster.Created.ShouldBeEmpty();
    }

    [Fact]
    public async Task RunAsync_HarrierToken_SentAsBearerToTheServer()
    {
        using var s = new ZddScenario();

        var (exit, _, stderr) = await s.RunAsync(["--force"], new() { ["HARRIER_TOKEN"] = "s3cret" });

        exit.ShouldBe(0, stderr);
        s.Cluster.Created.ShouldHaveSingleItem()["id"]!.GetValue<string>().ShouldBe("/web-blue");
        s.Cluster.Authorizations.ShouldAllBe(a => a == "Bearer s3cret");
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task RunAsync_PreKillHookFails_StopsBeforeAnyKill()
    {
        using var s = new ZddScenario();
        s.Cluster.AddApp(ZddScenario.Deployed("blue", 10000, 3, Old));
        var record = Path.Combine(Path.GetDirectoryName(s.AppPath)!, "hook-args");
        var hook = s.WriteFile("hook.sh", $"#!/bin/sh\nprintf '%s\\n' \"$2\" > '{record}'\nexit 3\n");
        File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var (exit, _, stderr) = await s.RunAsync(["--force", "--pre-kill-hook", hook]);

        exit.ShouldBe(1);
        stderr.ShouldContain("error: pre-kill hook: " + hook + " exited 3");
        s.Cluster.Kills.ShouldBeEmpty();
        var tasks = JsonNode.Parse(File.ReadAllText(record))!.AsArray().Select(t => t!.GetValue<string>());
        tasks.ShouldBe([s.Cluster.App("/web-blue").Tasks[0].Id]);
    }

    [Theory]
    [InlineData(new string[0], "the app JSON is required")]
    [InlineData(new[] { "app.json", "--bogus" }, "unknown option --bogus")]
    [InlineData(new[] { "app.json", "--complete-cur", "--complete-prev" }, "exclude each other")]
    [InlineData(new[] { "app.json", "--step-delay", "soon" }, "--step-delay takes seconds")]
    [InlineData(new[] { "app.json", "--max-wait", "0" }, "--max-wait takes seconds")]
    [InlineData(new[] { "app.json", "--new-instances", "-1" }, "--new-instances takes a whole number")]
    [InlineData(new[] { "app.json", "--server", "ftp://x" }, "invalid URL 'ftp://x'")]
    [InlineData(new[] { "app.json", "other.json" }, "unexpected argument 'other.json'")]
    [InlineData(new[] { "app.json", "--marathon-lb" }, "--marathon-lb needs a value")]
    public async Task RunAsync_BadCommandLine_Exits64(string[] args, string message)
    {
        using var s = new ZddScenario();

        var (exit, _, stderr) = await s.RunRawAsync(args);

        exit.ShouldBe(64);
        stderr.ShouldContain(message);
        s.Cluster.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task RunAsync_ServerNotListening_FailsNamingTheStep()
    {
        using var s = new ZddScenario();
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await Harrier.LoadBalancer.Zdd.ZddCommand.RunAsync([s.AppPath, "--server", $"127.0.0.1:{port}", "--force"], stdout, stderr,
            new StringReader(""), _ => null, handler: null, TimeProvider.System, resolve: null, TestContext.Current.CancellationToken);

        exit.ShouldBe(1);
        stderr.ToString().ShouldStartWith($"error: list the apps: GET http://127.0.0.1:{port}/v2/apps: ");
        stderr.ToString().ShouldContain("refused");
    }

    [Fact]
    public async Task RunAsync_AppWithoutDeploymentGroup_FailsNamingTheLabel()
    {
        using var s = new ZddScenario();
        var app = ZddScenario.UserApp(3);
        app["labels"]!.AsObject().Remove("HAPROXY_DEPLOYMENT_GROUP");
        var path = s.WriteFile("plain.json", app.ToJsonString());

        var (exit, _, stderr) = await s.RunRawAsync([path, "--server", FakeZddCluster.Server, "--force"]);

        exit.ShouldBe(1);
        stderr.ShouldContain("error: validate the app: app web: define the HAPROXY_DEPLOYMENT_GROUP label");
        s.Cluster.Requests.ShouldBeEmpty();
    }

    /// <summary>A hybrid deploy left running: blue scaled down to 2 most recently, green at its 1 new instance.</summary>
    private static ZddScenario HybridPair()
    {
        var s = new ZddScenario();
        s.Cluster.AddApp(ZddScenario.Deployed("blue", 10000, 2, Old), stamp: 100);
        s.Cluster.AddApp(ZddScenario.Deployed("green", 10001, 1, Newer, newInstances: "1"), stamp: 50);
        return s;
    }
}
