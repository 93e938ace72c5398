using System.Diagnostics;
using System.Net;
using Harrier.Testing;
using Shouldly;
using Xunit;

namespace Harrier.TestApp.Tests;

public sealed class TestAppLifecycleTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task StartDelay_Flag_PortClosedUntilDelayThenOpen()
    {
        var clock = Stopwatch.StartNew();
        await using var app = TestAppProcess.Start(["--start-delay-ms", "2000"]);

        // Probe well inside the delay: the runtime itself starts in far less than the 2 s.
        await Eventually.TrueAsync(() => app.Output.Any(l => l.Contains("delaying start", StringComparison.Ordinal)), ExitTimeout, "the delay notice");
        var probedAt = clock.Elapsed;
        app.IsListening().ShouldBeFalse($"port open at {probedAt.TotalMilliseconds:0} ms");
        await app.WaitUntilListeningAsync(ExitTimeout);

        clock.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(2000));
        (await app.GetAsync("/health")).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task StartDelay_Environment_DelaysTheSameWay()
    {
        var clock = Stopwatch.StartNew();
        await using var app = TestAppProcess.Start(env: new Dictionary<string, string> { ["TESTAPP_START_DELAY_MS"] = "1500" });

        await app.WaitUntilListeningAsync(ExitTimeout);

        clock.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(1500));
    }

    [Fact]
    public async Task CrashAfter_Flag_ExitsWithCrashCodeAfterTheDelay()
    {
        var clock = Stopwatch.StartNew();
        await using var app = TestAppProcess.Start(["--crash-after-ms", "1000", "--crash-code", "42"]);

        var code = await app.WaitForExitAsync(ExitTimeout);

        code.ShouldBe(42, app.Transcript);
        clock.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(1000));
    }

    [Fact]
    public async Task CrashAfter_Environment_ExitsWithDefaultCodeOne()
    {
        await using var app = TestAppProcess.Start(env: new Dictionary<string, string> { ["TESTAPP_CRASH_AFTER_MS"] = "300" });

        (await app.WaitForExitAsync(ExitTimeout)).ShouldBe(1, app.Transcript);
    }

    [Fact]
    public async Task Crash_Post_ExitsWithCrashCode()
    {
        await using var app = await TestAppProcess.StartReadyAsync("--crash-code", "7");

        await PostIgnoringDisconnectAsync(app, "/crash");

        (await app.WaitForExitAsync(ExitTimeout)).ShouldBe(7, app.Transcript);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(137)]
    public async Task Exit_PostWithCode_ExitsWithThatCode(int code)
    {
        await using var app = await TestAppProcess.StartReadyAsync();

        await PostIgnoringDisconnectAsync(app, $"/exit/{code}");

        (await app.WaitForExitAsync(ExitTimeout)).ShouldBe(code, app.Transcript);
    }

    [Fact]
    public async Task Sigterm_Default_ExitsZeroQuickly()
    {
        await using var app = await TestAppProcess.StartReadyAsync();

        var clock = Stopwatch.StartNew();
        await app.SignalAsync("TERM");
        var code = await app.WaitForExitAsync(ExitTimeout);

        code.ShouldBe(0, app.Transcript);
        // ~100 ms when idle; the bound leaves room for a loaded machine but catches a 30 s host shutdown timeout.
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Sigterm_IgnoreSigterm_KeepsServingUntilKilled()
    {
        await using var app = await TestAppProcess.StartReadyAsync("--ignore-sigterm");

        await app.SignalAsync("TERM");
        await Eventually.TrueAsync(() => app.Output.Any(l => l.Contains("SIGTERM ignored", StringComparison.Ordinal)), ExitTimeout, "the ignore notice");

        app.HasExited.ShouldBeFalse();
        (await app.GetAsync("/health")).Status.ShouldBe(HttpStatusCode.OK);
        await app.SignalAsync("KILL");
        (await app.WaitForExitAsync(ExitTimeout)).ShouldBe(137, app.Transcript);
    }

    [Fact]
    public async Task Start_UnknownArgument_ExitsTwoWithUsage()
    {
        await using var app = TestAppProcess.Start(["--no-such-flag"]);

        (await app.WaitForExitAsync(ExitTimeout)).ShouldBe(2, app.Transcript);
        await Eventually.TrueAsync(() => app.Output.Any(l => l.Contains("usage:", StringComparison.Ordinal)), ExitTimeout, "the usage text");
    }

    /// <summary>The app may close the connection before the client has read the answer; the exit code is what counts.</summary>
    private static async Task PostIgnoringDisconnectAsync(TestAppProcess app, string path)
    {
        try
        {
            await app.PostAsync(path);
        }
        catch (HttpRequestException)
        {
        }
    }
}
