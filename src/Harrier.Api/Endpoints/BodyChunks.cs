using System.Runtime.CompilerServices;

namespace Harrier.Api.Endpoints;

/// <summary>A request body read as chunks as they arrive (for relayed logs), remembering whether it was read to its end.</summary>
internal sealed class BodyChunks(Stream body)
{
    public bool Ended { get; private set; }

    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var read = await body.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                Ended = true;
                yield break;
            }
            // A copy: a consumer may hold a chunk past the next read.
            yield return buffer.AsMemory(0, read).ToArray();
        }
    }
}
