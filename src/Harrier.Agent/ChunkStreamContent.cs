using System.Net;

namespace Harrier.Agent;

/// <summary>An HTTP request body written from a stream of chunks as they come (chunked encoding, flushed per chunk).</summary>
internal sealed class ChunkStreamContent(IAsyncEnumerable<ReadOnlyMemory<byte>> chunks) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await foreach (var chunk in chunks.WithCancellation(cancellationToken))
        {
            await stream.WriteAsync(chunk, cancellationToken);
            await stream.FlushAsync(cancellationToken);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
