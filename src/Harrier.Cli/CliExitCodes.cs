namespace Harrier.Cli;

/// <summary>Exit codes scripts can rely on.</summary>
internal static class CliExitCodes
{
    public const int Ok = 0;

    /// <summary>The server refused the request (4xx/5xx), or local input (a definition file, a task id) was wrong.</summary>
    public const int Failed = 1;

    /// <summary>The server could not be reached or did not answer in time.</summary>
    public const int Unreachable = 2;

    /// <summary>The command line itself was wrong (BSD's EX_USAGE).</summary>
    public const int Usage = 64;

    /// <summary>Stopped by Ctrl+C / SIGTERM (128 + SIGINT).</summary>
    public const int Interrupted = 130;
}
