namespace Harrier.Drivers;

/// <summary>The task could not be started (bad user, missing binary, spawn failure). The message is user-facing.</summary>
public sealed class DriverLaunchException : Exception
{
    public DriverLaunchException(string message)
        : base(message)
    {
    }

    public DriverLaunchException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public DriverLaunchException()
    {
    }
}
