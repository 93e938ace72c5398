using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Harrier.LoadBalancer.Marathon;

/// <summary>
/// What an untrusted value may contain before it is written into the HAProxy config. marathon-lb wrote labels
/// verbatim, so a newline in a label added lines (or sections) to the config; here a value that could do that, or break
/// out of the token or quoted string it lands in, is refused and its service dropped.
/// </summary>
internal static class LabelValues
{
    /// <summary>HAProxy's config tokenizer treats these specially (quotes, escapes, comments).</summary>
    private const string Special = "\"'\\#";

    /// <summary>A Marathon id: letters, digits, <c>/ . - _</c>.</summary>
    public static bool IsAppId(string id) =>
        id.Length > 0 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '-' or '_');

    /// <summary>One config token: no whitespace, control or special characters.</summary>
    public static bool IsToken(string value) =>
        value.Length > 0 && !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || Special.Contains(c));

    /// <summary>Text on one line (spaces allowed): no control or special characters.</summary>
    public static bool IsText(string value) => !value.Any(c => char.IsControl(c) || Special.Contains(c));

    /// <summary>A canonical dotted-quad IPv4 address (what <c>gethostbyname</c> returns unchanged).</summary>
    public static bool IsIPv4(string value) =>
        IPAddress.TryParse(value, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork && ip.ToString() == value;

    /// <summary>An IPv4 or IPv6 address literal.</summary>
    public static bool IsIp(string value) => value.Length > 0 && IsText(value) && !value.Contains(' ') && IPAddress.TryParse(value, out _);

    /// <summary>marathon-lb's <c>string_to_bool</c>.</summary>
    public static bool ToBool(string value) => value.ToLowerInvariant() is "true" or "t" or "yes" or "y";

    /// <summary>Python's <c>int()</c> of a label: surrounding whitespace and a sign allowed.</summary>
    public static bool TryInt(string value, out int result) =>
        int.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result);

    /// <summary>A value for a warning: quoted, control characters escaped, at most 60 characters.</summary>
    public static string Quote(string value)
    {
        var sb = new StringBuilder("'");
        foreach (var c in value.Length > 60 ? value[..60] : value)
        {
            if (char.IsControl(c))
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.Append(value.Length > 60 ? "…'" : "'").ToString();
    }
}
