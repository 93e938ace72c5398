using System.Diagnostics;
using Harrier.Linux;

namespace Harrier.Agent;

/// <summary>
/// Reads a local file (a <c>file://</c> fetch URI) with a task user's rights. A root agent does not open the file
/// itself: a helper process switched to the user (<see cref="UserSwitch"/>: uid, gid and supplementary groups)
/// opens it and streams it back through a pipe, so the kernel applies exactly the permissions the user has,
/// on every path component and link, with no check-then-open race. A file the user cannot read fails the fetch
/// and nothing is copied. An agent that is not root reads as itself: that is the only user its tasks can run as
/// (<see cref="UserSwitch"/> refuses any other).
/// </summary>
internal static class UserFileReader
{
    /// <summary>Refuses what is not a regular file (a FIFO or device could block or never end), then streams it.</summary>
    private const string Script =
        "if [ -e \"$1\" ] && [ ! -f \"$1\" ]; then echo \"$1: not a regular file\" >&2; exit 1; fi\n" +
        "exec cat -- \"$1\"\n";

    /// <summary>Streams <paramref name="path"/> into <paramref name="destination"/> as <paramref name="user"/> (null: as
    /// the agent itself, for callers with no task user).</summary>
    public static async Task CopyAsync(string path, UnixUser? user, Stream destination, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> prefix = [];
        if (user is not null)
        {
            try
            {
                prefix = UserSwitch.Prefix(user);
            }
            catch (InvalidOperationException e)
            {
                throw new IOException(e.Message, e);
            }
        }
        var start = new ProcessStartInfo(prefix.Count > 0 ? prefix[0] : "/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in prefix.Skip(1).Concat(prefix.Count > 0 ? ["/bin/sh"] : []).Concat(["-c", Script, "harrier-fetch", path]))
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new IOException("cannot start a process to read the file");
        try
        {
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.StandardOutput.BaseStream.CopyToAsync(destination, cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            var message = (await error).Trim();
            if (process.ExitCode != 0)
            {
                throw new IOException(message.Length > 0 ? message.Replace("cat: ", "", StringComparison.Ordinal) : $"reading '{path}' failed (exit {process.ExitCode})");
            }
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }
    }
}
