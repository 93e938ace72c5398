using System.Diagnostics;
using Harrier.Core.Time;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Harrier.State.Tests;

/// <summary>
/// Durability and atomicity under <c>kill -9</c>: a child process commits in a loop and is SIGKILLed at a random
/// moment; every change it reported as committed (its app version and root group version included) must be there after
/// reopening, and no change may be half there.
/// </summary>
public sealed class SqliteCrashTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task CommitAsync_ProcessKilledMidLoop_KeepsEveryReportedCommitAndNoPartialOne()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"seed {seed}");
        var reportedBefore = 0;
        for (var round = 0; round < 3; round++)
        {
            var killAfter = random.Next(5, 60);
            var reported = await RunChildAndKillAsync(killAfter);
            output.WriteLine($"round {round}: killed after {killAfter} lines, last reported {reported}");
            Assert.True(reported >= reportedBefore, $"seed {seed}: child reported {reported} after {reportedBefore}");

            await using var store = await SqliteClusterStore.OpenAsync(new StateOptions { DataDir = _dir.Path, MaxVersions = CrashChild.MaxVersions }, TestContext.Current.CancellationToken);
            var data = await store.LoadAsync(TestContext.Current.CancellationToken);
            var stored = Generations.AssertWhole(data);
            // Durable: everything reported is there. At most one more (committed, killed before printing).
            Assert.True(stored >= reported && stored <= reported + 1, $"seed {seed}: stored {stored}, reported {reported}");
            Assert.Equal(stored, Assert.Single(data.Apps).Version.UnixMilliseconds);
            var versions = await store.ListAppVersionsAsync(CrashChild.AppId, TestContext.Current.CancellationToken);
            var expected = Enumerable.Range(0, Math.Min(CrashChild.MaxVersions, stored)).Select(i => new Timestamp(stored - i));
            Assert.Equal(expected, versions);
            // The root group version of every acknowledged change is there too, pointing at its app version.
            Assert.Equal(expected, await store.ListGroupVersionsAsync(TestContext.Current.CancellationToken));
            var root = await store.GetGroupVersionAsync(new Timestamp(stored), TestContext.Current.CancellationToken);
            Assert.Equal(stored, Assert.Single(root!.Apps).Version.UnixMilliseconds);
            reportedBefore = stored;
        }
        AssertIntegrity();
    }

    public void Dispose() => _dir.Dispose();

    private async Task<int> RunChildAndKillAsync(int killAfterLines)
    {
        var start = new ProcessStartInfo(DotnetHost(), [typeof(CrashChild).Assembly.Location])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment[CrashChild.DataDirVariable] = _dir.Path;
        using var child = Process.Start(start) ?? throw new InvalidOperationException("could not start the crash child");
        var last = 0;
        var lines = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            while (lines < killAfterLines && await child.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (int.TryParse(line, out var seq))
                {
                    last = seq;
                    lines++;
                }
            }
        }
        finally
        {
            child.Kill(entireProcessTree: true); // SIGKILL on Linux
            await child.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
        // Lines already in the pipe were reported before the kill: they count as committed too.
        foreach (var line in (await child.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken)).Split('\n'))
        {
            if (int.TryParse(line, out var seq))
            {
                last = seq;
            }
        }
        Assert.True(lines > 0, "the crash child reported no commit: " + await child.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken));
        return last;
    }

    private void AssertIntegrity()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_dir.Path, SqliteClusterStore.FileName)};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", command.ExecuteScalar());
    }

    private static string DotnetHost()
    {
        var current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet")
        {
            return current;
        }
        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
    }
}
