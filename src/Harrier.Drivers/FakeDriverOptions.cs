namespace Harrier.Drivers;

/// <summary>
/// Knobs of the <see cref="FakeDriver"/>. By default a fake task starts at once, writes nothing and runs until killed.
/// </summary>
public sealed class FakeDriverOptions
{
    /// <summary>Exit code the task ends with after <see cref="RunTime"/>; null = run until killed.</summary>
    public int? ExitCode { get; set; }

    public TimeSpan RunTime { get; set; } = TimeSpan.Zero;

    /// <summary>Delay before StartAsync returns.</summary>
    public TimeSpan StartDelay { get; set; } = TimeSpan.Zero;

    /// <summary>How long the task takes to stop after SIGTERM; longer than the grace period means SIGKILL.</summary>
    public TimeSpan StopDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Text written to the sandbox's stdout file at start.</summary>
    public string? Output { get; set; }

    /// <summary>When set, StartAsync fails with this message.</summary>
    public string? LaunchError { get; set; }
}
