namespace Harrier.Cli;

/// <summary>
/// Opens standard input only when a verb reads it (<c>app add -</c>). Touching <see cref="Console.In"/> makes .NET
/// initialise the terminal, which writes keypad escape sequences to the screen before every table.
/// </summary>
internal sealed class DeferredReader(Func<TextReader> open) : TextReader
{
    private TextReader? _inner;

    private TextReader Inner => _inner ??= open();

    public override int Peek() => Inner.Peek();

    public override int Read() => Inner.Read();

    public override int Read(char[] buffer, int index, int count) => Inner.Read(buffer, index, count);

    public override string? ReadLine() => Inner.ReadLine();

    public override string ReadToEnd() => Inner.ReadToEnd();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner?.Dispose();
        }
        base.Dispose(disposing);
    }
}
