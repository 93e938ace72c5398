using System.Globalization;

namespace Harrier.Drivers.Oci;

/// <summary>
/// A container's <c>/etc/passwd</c> and <c>/etc/group</c>, parsed. Users are resolved as Docker does: a name or a
/// numeric id, optionally <c>:group</c> (name or id); a numeric user without an entry is used as is (gid 0, home
/// <c>/</c>); supplementary groups come from group membership.
/// </summary>
internal sealed class ContainerAccounts
{
    private readonly List<(string Name, uint Uid, uint Gid, string Home)> _users = [];
    private readonly List<(string Name, uint Gid, string[] Members)> _groups = [];

    public static ContainerAccounts Empty { get; } = Parse(null, null);

    /// <summary>Parses the two files' text (null = the file does not exist); malformed lines are skipped.</summary>
    public static ContainerAccounts Parse(string? passwd, string? group)
    {
        var accounts = new ContainerAccounts();
        foreach (var f in Lines(passwd))
        {
            if (f.Length >= 6 && TryId(f[2], out var uid) && TryId(f[3], out var gid))
            {
                accounts._users.Add((f[0], uid, gid, f[5].Length > 0 ? f[5] : "/"));
            }
        }
        foreach (var f in Lines(group))
        {
            if (f.Length >= 3 && TryId(f[2], out var gid))
            {
                accounts._groups.Add((f[0], gid, f.Length > 3 ? f[3].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : []));
            }
        }
        return accounts;
    }

    /// <summary>Resolves <c>user</c>, <c>uid</c>, <c>user:group</c> or <c>uid:gid</c>; null or empty = root.</summary>
    public ContainerUser Resolve(string? spec)
    {
        if (string.IsNullOrEmpty(spec))
        {
            spec = "0";
        }
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        var userPart = colon < 0 ? spec : spec[..colon];
        var groupPart = colon < 0 ? null : spec[(colon + 1)..];

        var entry = TryId(userPart, out var numeric)
            ? _users.FirstOrDefault(u => u.Uid == numeric)
            : _users.FirstOrDefault(u => u.Name == userPart);
        if (entry.Name is null && !TryId(userPart, out _))
        {
            throw new DriverLaunchException($"Failed to launch the task: user '{userPart}' does not exist in the container's /etc/passwd");
        }
        var uid = entry.Name is null ? numeric : entry.Uid;
        var gid = entry.Name is null ? 0 : entry.Gid;
        if (!string.IsNullOrEmpty(groupPart))
        {
            if (TryId(groupPart, out var g))
            {
                gid = g;
            }
            else
            {
                var group = _groups.FirstOrDefault(x => x.Name == groupPart);
                gid = group.Name is not null ? group.Gid : throw new DriverLaunchException($"Failed to launch the task: group '{groupPart}' does not exist in the container's /etc/group");
            }
        }
        var additional = entry.Name is null
            ? []
            : _groups.Where(x => x.Members.Contains(entry.Name) && x.Gid != gid).Select(x => x.Gid).Distinct().ToArray();
        return new ContainerUser(uid, gid, additional, entry.Name is null ? "/" : entry.Home);
    }

    private static IEnumerable<string[]> Lines(string? text) =>
        (text ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(':'));

    private static bool TryId(string text, out uint id) => uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id);
}
