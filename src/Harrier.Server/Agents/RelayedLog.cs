using System.Runtime.CompilerServices;

namespace Harrier.Server.Agents;

/// <summary>A relayed log being read. Disposing it (all read, or the client gone) releases the agent's upload.</summary>
public sealed class RelayedLog(IAsyncEnumerable<ReadOnlyMemory<byte>> chunks, TaskCompletionSource done) : IAsyncDisposable
{
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var chunk in chunks.WithCancellation(cancellationToken))
        {
            yield return chunk;
        }
    }

    public ValueTask DisposeAsync()
    {
        done.TrySetResult();
        return ValueTask.CompletedTask;
    }
}
