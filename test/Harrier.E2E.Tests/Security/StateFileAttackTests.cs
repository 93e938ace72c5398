using System.Diagnostics;
using System.Globalization;
using System.Net;
using Harrier.Testing;
using Xunit;

namespace Harrier.E2E.Tests.Security;

/// <summary>
/// Issue 14, "state is never silently lost", against the real binary: before, a zero-length <c>state.db</c> started
/// silently empty (every running task would have become an orphan and been killed) and a corrupt one ended in an
/// unhandled exception (once with exit code 0). Now each refuses to start with one line and exit code 2, a read-only
/// data directory says so, and <c>--recover-from-agents</c> starts empty and keeps the tasks agents report.
/// </summary>
public sealed class StateFileAttackTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "harrier-state-attack-" + Guid.NewGuid().ToString("N")[..10]);

    [Fact]
    public async Task ZeroLengthStateDb_RefusesToStart_WithOneClearLine()
    {
        await InitialiseAsync();
        await File.WriteAllBytesAsync(Path.Combine(_dir, "state.db"), [], TestContext.Current.CancellationToken);

        var (code, output) = await RunServerToExitAsync();

        Assert.Equal(2, code);
        Assert.Contains("state.db is empty (0 bytes)", output);
        AssertOneLine(output);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("damaged pages")]
    public async Task CorruptStateDb_RefusesToStart_NonZeroWithoutAStackTrace(string damage)
    {
        await InitialiseAsync();
        var db = Path.Combine(_dir, "state.db");
        var bytes = Enumerable.Range(0, 64 * 1024).Select(i => (byte)(i * 31 + 7)).ToArray();
        if (damage == "damaged pages")
        {
            // SQLite's own header (page size 4096) over pages of noise.
            (await File.ReadAllBytesAsync(db, TestContext.Current.CancellationToken)).AsSpan(0, 100).CopyTo(bytes);
        }
        File.Delete(db + "-wal");
        await File.WriteAllBytesAsync(db, bytes, TestContext.Current.CancellationToken);

        var (code, output) = await RunServerToExitAsync();

        Assert.Equal(2, code);
        Assert.Contains("state.db is corrupt", output);
        Assert.DoesNotContain("Unhandled", output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        AssertOneLine(output);
    }

    [Fact]
    public async Task ReadOnlyDataDir_SaysExactlyThat()
    {
        if (Requirements.Root() is { } skip)
        {
            Assert.Skip(skip);
        }
        Directory.CreateDirectory(_dir);
        await RunAsync("mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", _dir);
        try
        {
            var (code, output) = await RunServerToExitAsync();

            Assert.NotEqual(0, code);
            Assert.Contains($"the data directory {_dir} is not writable: Read-only file system", output);
            AssertOneLine(output);
        }
        finally
        {
            await RunAsync("umount", _dir);
        }
    }

    [Fact]
    public async Task RecoverFromAgents_AfterStateDbWasLost_StartsAndKeepsTheRunningTask()
    {
        await using var dev = await HarrierDev.StartAsync("--recover-from-agents", "--orphan-grace", "1");
        var (created, _, _) = await dev.SendAsync(HttpMethod.Post, "/v2/apps", """{"id":"/kept","cmd":"sleep 1000","cpus":0.01,"mem":8}""");
        Assert.Equal(HttpStatusCode.Created, created);
        var task = (await dev.WaitForRunningAsync("/kept", 1))[0]!["id"]!.GetValue<string>();
        await dev.KillHardAsync();
        await File.WriteAllBytesAsync(Path.Combine(dev.DataDir, "state.db"), [], TestContext.Current.CancellationToken);

        await dev.StartProcessAsync();

        Assert.Contains("--recover-from-agents", dev.Output);
        var orphan = await Eventually.WaitAsync(async () =>
            (await dev.GetJsonAsync("/v2/orphans"))["orphans"]!.AsArray().FirstOrDefault(o => o!["taskId"]!.GetValue<string>() == task),
            TimeSpan.FromSeconds(30), "the agent's task listed as an orphan");
        Assert.True(orphan!["held"]!.GetValue<bool>());
        Assert.Null(orphan["killAt"]);
        // Well past --orphan-grace 1: still running.
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
        Assert.Equal([task], dev.HostTasks("/kept"));
        Assert.Single((await dev.GetJsonAsync("/v2/orphans"))["orphans"]!.AsArray());
    }

    /// <summary>Starts <c>harrier server</c> on a fresh dir, creates an app so the store holds something, stops it.</summary>
    private async Task InitialiseAsync()
    {
        var port = HarrierDev.FreePort();
        var output = new System.Text.StringBuilder();
        using var process = CapturedProcess.Start([HarrierDev.Binary, "server", "--http-port", port.ToString(CultureInfo.InvariantCulture), "--data-dir", _dir], output);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                return (await http.GetAsync("/ping")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), "harrier server to answer /ping");
        using var content = new StringContent("""{"id":"/stored","cmd":"sleep 1","instances":0}""", System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync("/v2/apps", content)).StatusCode);
        process.Kill();
        await process.WaitForExitAsync();
    }

    /// <summary>Runs <c>harrier server</c> on the dir and waits (bounded) for it to exit by itself: a start is a failure.</summary>
    private async Task<(int Code, string Output)> RunServerToExitAsync()
    {
        var output = new System.Text.StringBuilder();
        using var process = CapturedProcess.Start([HarrierDev.Binary, "server", "--http-port", HarrierDev.FreePort().ToString(CultureInfo.InvariantCulture), "--data-dir", _dir], output);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync();
            Assert.Fail("harrier server started instead of refusing: " + output);
        }
        process.WaitForExit();
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    private static void AssertOneLine(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, "expected one line, got:\n" + output);
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        using var p = Process.Start(file, args);
        await p.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, p.ExitCode);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A unique temp dir; harmless.
        }
    }
}
