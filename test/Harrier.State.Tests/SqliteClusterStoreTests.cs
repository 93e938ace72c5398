namespace Harrier.State.Tests;

public sealed class SqliteClusterStoreTests : ClusterStoreConformance
{
    private readonly TempDirectory _dir = new();

    protected override async Task<IClusterStore> OpenCoreAsync(int maxVersions) =>
        await SqliteClusterStore.OpenAsync(new StateOptions { DataDir = _dir.Path, MaxVersions = maxVersions }, Ct);

    protected override Task<IClusterStore> ReopenCoreAsync(IClusterStore disposed, int maxVersions) => OpenCoreAsync(maxVersions);

    protected override void FailAfterRows(IClusterStore store, int? rows) =>
        ((SqliteClusterStore)store).AfterRowWritten = FailureInjection.After(rows);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _dir.Dispose();
    }
}
