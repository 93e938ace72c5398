namespace Harrier.Linux;

/// <summary>
/// How a root process runs a command as another user: an argv prefix (<c>setpriv --reuid --regid --init-groups</c>)
/// that sets the user, its primary group and its supplementary groups before exec'ing the command.
/// </summary>
public static class UserSwitch
{
    private static readonly string[] StandardPath = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    /// <summary>
    /// The prefix that runs a command as <paramref name="user"/>: empty when this process already has that uid, the
    /// setpriv prefix when it is root. Throws <see cref="InvalidOperationException"/> when neither (only root can
    /// switch users) or when setpriv is not installed.
    /// </summary>
    public static IReadOnlyList<string> Prefix(UnixUser user)
    {
        var self = Libc.geteuid();
        if (user.Uid == self)
        {
            return [];
        }
        if (self != 0)
        {
            throw new InvalidOperationException($"the agent is not root and cannot run anything as user '{user.Name}'");
        }
        var setpriv = StandardPath.Select(d => System.IO.Path.Combine(d, "setpriv")).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("'setpriv' is not installed");
        return [setpriv, $"--reuid={user.Uid}", $"--regid={user.Gid}", "--init-groups", "--"];
    }
}
