using System.Text;

namespace Harrier.Dns.Records;

/// <summary>
/// dcos-net's name sanitising (<c>mesos_state:label/1</c> and <c>domain_frag/1</c>), which differs from Mesos-DNS's:
/// lower-case; <c>a-z0-9</c> kept; <c>- _ .</c> become <c>-</c> once a first letter or digit was seen and are dropped
/// before it; every other character (including <c>/</c>) is dropped; at 63 characters trailing <c>-</c> are stripped
/// and the label is refilled with letters and digits only; trailing <c>-</c> stripped at the end.
/// </summary>
public static class DcosLabels
{
    private const int Max = 63;

    public static string Label(string name)
    {
        var acc = new StringBuilder(Math.Min(name.Length, Max));
        var started = false;
        var terminating = false;
        // Bytes, as Erlang's binary_to_list sees the UTF-8 name: every byte of a non-ASCII character is dropped.
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            var c = b is >= (byte)'A' and <= (byte)'Z' ? (char)(b + ('a' - 'A')) : (char)b;
            var alnum = c is (>= 'a' and <= 'z') or (>= '0' and <= '9');
            if (!started)
            {
                if (!alnum)
                {
                    continue;
                }
                started = true;
            }
            if (!terminating && acc.Length > Max - 1)
            {
                TrimEnd(acc);
                terminating = true;
            }
            if (terminating)
            {
                if (acc.Length == Max)
                {
                    break;
                }
                if (alnum)
                {
                    acc.Append(c);
                }
                continue;
            }
            if (c is '-' or '_' or '.')
            {
                acc.Append('-');
            }
            else if (alnum)
            {
                acc.Append(c);
            }
        }
        TrimEnd(acc);
        return acc.ToString();
    }

    /// <summary>Split on '.', empty parts dropped BEFORE sanitising (a part that sanitises to nothing leaves an empty
    /// label), each part through <see cref="Label"/>, re-joined with '.'.</summary>
    public static string DomainFrag(string name) =>
        string.Join('.', name.Split('.', StringSplitOptions.RemoveEmptyEntries).Select(Label));

    private static void TrimEnd(StringBuilder acc)
    {
        var end = acc.Length;
        while (end > 0 && acc[end - 1] == '-')
        {
            end--;
        }
        acc.Length = end;
    }
}
