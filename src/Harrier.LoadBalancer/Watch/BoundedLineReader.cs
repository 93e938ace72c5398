using System.Text;

namespace Harrier.LoadBalancer.Watch;

/// <summary>Reads lines from a stream with a cap on a line's length (an event stream is remote input).</summary>
internal sealed class BoundedLineReader(Stream stream, int maxChars)
{
    private readonly Decoder decoder = Encoding.UTF8.GetDecoder();
    private readonly byte[] bytes = new byte[16384];
    private readonly char[] chars = new char[Encoding.UTF8.GetMaxCharCount(16384)];
    private readonly StringBuilder line = new();
    private int position;
    private int count;

    /// <summary>The next line without its end (<c>\n</c> or <c>\r\n</c>), or null at the end of the stream.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken ct)
    {
        line.Clear();
        while (true)
        {
            if (position == count)
            {
                var read = await stream.ReadAsync(bytes, ct);
                if (read == 0)
                {
                    return line.Length > 0 ? line.ToString() : null;
                }
                count = decoder.GetChars(bytes, 0, read, chars, 0);
                position = 0;
                continue;
            }
            var newline = Array.IndexOf(chars, '\n', position, count - position);
            var end = newline < 0 ? count : newline;
            if (line.Length + end - position > maxChars)
            {
                throw new InvalidDataException($"a line over {maxChars} characters");
            }
            line.Append(chars, position, end - position);
            position = newline < 0 ? count : newline + 1;
            if (newline >= 0)
            {
                if (line.Length > 0 && line[^1] == '\r')
                {
                    line.Length--;
                }
                return line.ToString();
            }
        }
    }
}
