using Harrier.Linux;
using Harrier.Protocol;

namespace Harrier.Agent;

/// <summary>
/// Which user a task runs as on this agent (Mesos' <c>--switch_user</c>). A plain-process task without
/// <c>user</c> runs as the agent's default user: <c>--default-user</c>, else <c>nobody</c> when the agent is root,
/// else the agent's own user. A container task without <c>user</c> runs as its image's <c>USER</c>, as Mesos'
/// Docker containerizer did; its <c>user</c> names an account of the image. Work the agent does on the host for a
/// task (fetching) is done as <see cref="HostUserOf"/>.
/// </summary>
public sealed class TaskUsers
{
    internal const string RootDefault = "nobody";

    internal TaskUsers(string defaultUser)
    {
        DefaultUser = defaultUser;
    }

    internal string DefaultUser { get; }

    /// <summary>The default user for <paramref name="configured"/> (the flag's value, or null).</summary>
    internal static string DefaultFor(string? configured) =>
        configured is { Length: > 0 } ? configured : UnixUser.IsRoot ? RootDefault : Environment.UserName;

    /// <summary>Why <paramref name="name"/> cannot be the agent's default user, or null (checks <c>--default-user</c>).</summary>
    public static string? CheckDefault(string name)
    {
        if (UnixUser.Find(name) is not { } user)
        {
            return $"user '{name}' does not exist";
        }
        return !UnixUser.IsRoot && user.Name != Environment.UserName
            ? $"the agent is not root, so its tasks can only run as '{Environment.UserName}'"
            : null;
    }

    /// <summary>The launch with its user made explicit where this agent decides it (plain processes), so the
    /// checkpoint, the driver and the health checks all see the same user.</summary>
    internal TaskLaunch Resolve(TaskLaunch launch) =>
        launch.User is null && launch.Container is not { HasImage: true } ? launch with { User = DefaultUser } : launch;

    /// <summary>
    /// The host account the agent acts for when it works for the task outside it (reading <c>file://</c> URIs):
    /// the task's user when the host has it, else (a container's own user, or the image's) the default user.
    /// </summary>
    internal UnixUser? HostUserOf(TaskLaunch launch) =>
        (launch.User is { } name ? UnixUser.Find(name) : null) ?? UnixUser.Find(DefaultUser);
}
