using System.Runtime.CompilerServices;

namespace Harrier.State.Tests;

/// <summary>
/// The child side of <see cref="SqliteCrashTests"/>. When the test assembly is started as a program with
/// <see cref="DataDirVariable"/> set, this runs before xunit's entry point: it commits generations in a loop and
/// prints each sequence number only after <see cref="IClusterStore.CommitAsync"/> returned, until it is killed.
/// </summary>
internal static class CrashChild
{
    public const string DataDirVariable = "HARRIER_STATE_CRASH_CHILD_DIR";
    public const int MaxVersions = 5;
    public static readonly Harrier.Core.Ids.PathId AppId = Harrier.Core.Ids.PathId.Parse("/crash");

#pragma warning disable CA2255 // A module initializer is the way for the test executable to double as the crash child.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RunWhenAsked()
    {
        if (Environment.GetEnvironmentVariable(DataDirVariable) is not { Length: > 0 } dir)
        {
            return;
        }
        Environment.Exit(RunAsync(dir).GetAwaiter().GetResult());
    }

    private static async Task<int> RunAsync(string dir)
    {
        await using var store = await SqliteClusterStore.OpenAsync(new StateOptions { DataDir = dir, MaxVersions = MaxVersions }, CancellationToken.None);
        var seq = Generations.AssertWhole(await store.LoadAsync(CancellationToken.None));
        var stdout = Console.Out;
        stdout.WriteLine("ready");
        stdout.Flush();
        while (true)
        {
            seq++;
            var change = Generations.Change(seq) with
            {
                PutApps = [TestData.App(AppId.Value, version: seq)],
                PutGroupVersions = [TestData.RootVersion(seq, apps: [(AppId.Value, seq)])],
            };
            await store.CommitAsync(change, CancellationToken.None);
            stdout.WriteLine(seq);
            stdout.Flush();
        }
    }
}
