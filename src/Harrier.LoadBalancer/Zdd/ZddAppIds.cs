namespace Harrier.LoadBalancer.Zdd;

/// <summary>
/// Absolute Marathon app ids as zdd puts them in URLs (<c>/v2/apps/a/b</c>): segments of lower-case letters, digits,
/// <c>-</c> and <c>.</c>, none of them <c>.</c> or <c>..</c>. An id read from the server that fails this is refused
/// rather than sent back in a path.
/// </summary>
internal static class ZddAppIds
{
    public static bool IsValid(string id)
    {
        if (id.Length is < 2 or > 512 || id[0] != '/' || id[^1] == '/')
        {
            return false;
        }
        foreach (var segment in id[1..].Split('/'))
        {
            if (segment.Length == 0 || segment is "." or ".." || !segment.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.'))
            {
                return false;
            }
        }
        return true;
    }
}
