using System.Runtime.CompilerServices;
using Harrier.Linux;

namespace Harrier.Agent;

/// <summary>
/// Reads a sandbox's stdout/stderr: the last N lines, then (following) new data by polling the file until the task
/// has ended and the file is drained, or the reader cancels. The task owns its sandbox and may replace these files:
/// a file is opened only through <see cref="BeneathDirectory"/> (no link followed) and only when it is a regular file
/// with no other hard links, so a log can never serve a file from outside the sandbox.
/// </summary>
internal sealed class SandboxLogReader
{
    private const int ChunkSize = 64 * 1024;
    private readonly TimeProvider _time;
    private readonly TimeSpan _pollInterval;

    public SandboxLogReader(TimeProvider time, TimeSpan pollInterval)
    {
        _time = time;
        _pollInterval = pollInterval;
    }

    /// <summary>Opens the log <paramref name="name"/> of <paramref name="sandbox"/>; null when it does not exist yet.
    /// Throws <see cref="IOException"/> when it is a link, not a regular file, or hard-linked elsewhere.</summary>
    public static FileStream? Open(string sandbox, string name)
    {
        using var root = BeneathDirectory.Open(sandbox);
        return root.OpenRegularFile(name);
    }

    /// <summary>Why the log <paramref name="name"/> cannot be served (a link, not a regular file...), or null.</summary>
    public static string? Refusal(string sandbox, string name)
    {
        try
        {
            using var stream = Open(sandbox, name);
            return null;
        }
        catch (IOException e)
        {
            return e.Message;
        }
    }

    private static FileStream? TryOpen(string sandbox, string name, out bool refused)
    {
        refused = false;
        try
        {
            return Open(sandbox, name);
        }
        catch (IOException)
        {
            refused = true;
            return null;
        }
    }

    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync(string sandbox, string name, int? tail, bool follow, Func<bool> taskEnded, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        FileStream? opened;
        bool refused;
        while ((opened = TryOpen(sandbox, name, out refused)) is null)
        {
            // A log the task replaced with a link (after the caller's check) ends the stream: nothing is served.
            if (refused || !follow || taskEnded())
            {
                yield break;
            }
            await Task.Delay(_pollInterval, _time, cancellationToken);
        }
        await using var stream = opened;
        stream.Position = tail is { } n ? await TailStartAsync(stream, n, cancellationToken) : 0;
        var buffer = new byte[ChunkSize];
        while (true)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read > 0)
            {
                yield return buffer.AsMemory(0, read).ToArray();
                continue;
            }
            if (!follow)
            {
                yield break;
            }
            // Check "ended" before the last read so nothing written just before the end is missed.
            if (taskEnded())
            {
                while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    yield return buffer.AsMemory(0, read).ToArray();
                }
                yield break;
            }
            await Task.Delay(_pollInterval, _time, cancellationToken);
        }
    }

    /// <summary>The offset where the last <paramref name="lines"/> lines start (a final newline ends a line, it does not start one).</summary>
    internal static async Task<long> TailStartAsync(FileStream stream, int lines, CancellationToken cancellationToken)
    {
        var length = stream.Length;
        if (lines <= 0)
        {
            return length;
        }
        var buffer = new byte[ChunkSize];
        var position = length;
        var newlines = 0;
        var skipTrailing = true;
        while (position > 0)
        {
            var size = (int)Math.Min(buffer.Length, position);
            position -= size;
            stream.Position = position;
            await stream.ReadExactlyAsync(buffer.AsMemory(0, size), cancellationToken);
            for (var i = size - 1; i >= 0; i--)
            {
                if (buffer[i] != (byte)'\n')
                {
                    skipTrailing = false;
                    continue;
                }
                if (skipTrailing && position + i == length - 1)
                {
                    continue;
                }
                if (++newlines == lines)
                {
                    return position + i + 1;
                }
            }
        }
        return 0;
    }
}
