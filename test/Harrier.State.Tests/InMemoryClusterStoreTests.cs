namespace Harrier.State.Tests;

public sealed class InMemoryClusterStoreTests : ClusterStoreConformance
{
    protected override Task<IClusterStore> OpenCoreAsync(int maxVersions) =>
        Task.FromResult<IClusterStore>(new InMemoryClusterStore(maxVersions));

    protected override Task<IClusterStore> ReopenCoreAsync(IClusterStore disposed, int maxVersions) =>
        Task.FromResult<IClusterStore>(InMemoryClusterStore.Reopen((InMemoryClusterStore)disposed, maxVersions));

    protected override void FailAfterRows(IClusterStore store, int? rows) =>
        ((InMemoryClusterStore)store).AfterRowWritten = FailureInjection.After(rows);
}
