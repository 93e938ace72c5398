using System.Text;

namespace Harrier.Dns.Records;

/// <summary>
/// Mesos-DNS's name sanitising (<c>records/labels/labels.go</c>): lower-case, keep <c>a-z0-9</c>, turn <c>- . _</c>
/// into <c>-</c>, drop everything else; strip leading <c>-</c> (RFC 1123) or leading <c>-</c> and digits (RFC 952);
/// cut to 63 / 24; strip trailing <c>-</c>, and when that shortened the cut label, refill it from what followed the
/// cut (skipping leading <c>-</c>) up to the limit.
/// </summary>
public static class Labels
{
    public static string Rfc1123(string name) => Label(name, 63, stripDigits: false);

    public static string Rfc952(string name) => Label(name, 24, stripDigits: true);

    public static string For(LabelRule rule, string name) => rule == LabelRule.Rfc952 ? Rfc952(name) : Rfc1123(name);

    /// <summary>Each dot-separated part through <paramref name="label"/>, empty results dropped, re-joined with dots
    /// (framework names keep their dots: <c>marathon.prod</c> stays two labels).</summary>
    public static string DomainFrag(string name, Func<string, string> label)
    {
        ArgumentNullException.ThrowIfNull(label);
        var parts = name.Split('.').Select(label).Where(p => p.Length > 0);
        return string.Join('.', parts);
    }

    private static string Label(string name, int max, bool stripDigits)
    {
        var mapped = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            switch (c)
            {
                case >= 'A' and <= 'Z':
                    mapped.Append((char)(c + ('a' - 'A')));
                    break;
                case (>= 'a' and <= 'z') or (>= '0' and <= '9'):
                    mapped.Append(c);
                    break;
                case '-' or '.' or '_':
                    mapped.Append('-');
                    break;
                default:
                    break;
            }
        }
        var text = mapped.ToString();
        var start = 0;
        while (start < text.Length && (text[start] == '-' || (stripDigits && char.IsAsciiDigit(text[start]))))
        {
            start++;
        }
        var trimmed = text[start..];
        var size = Math.Min(trimmed.Length, max);
        var head = trimmed[..size].TrimEnd('-');
        if (head.Length == size)
        {
            return head;
        }
        var tail = trimmed[size..].TrimStart('-');
        return tail.Length > 0 ? head + tail[..Math.Min(tail.Length, size - head.Length)] : head;
    }
}
