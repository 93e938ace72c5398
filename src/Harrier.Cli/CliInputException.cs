namespace Harrier.Cli;

/// <summary>Local input the CLI cannot use: an unreadable definition file, a task id that matches nothing.</summary>
internal sealed class CliInputException : Exception
{
    public CliInputException()
    {
    }

    public CliInputException(string message)
        : base(message)
    {
    }

    public CliInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
