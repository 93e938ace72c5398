namespace Harrier.Cli;

/// <summary>Where a CLI invocation reads and writes. <see cref="IsTerminal"/> picks boxed tables over plain columns.</summary>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, TextReader In, bool IsTerminal);
