using System.Security.Cryptography;
using System.Text;

namespace Harrier.Networking;

/// <summary>
/// Device and namespace names derived from a task's key: deterministic, so a restarted agent finds what a task
/// left without a record, and short (Linux device names hold 15 bytes).
/// </summary>
public static class LinkNames
{
    /// <summary>The prefix of the network namespaces one agent (<paramref name="scope"/>: its id) makes for its tasks.
    /// Namespace names are machine-wide, so each agent reconciles only its own, never another agent's on the same host.</summary>
    public static string NamespacePrefix(string scope) => "harrier-" + Hash(scope, 6) + "-";

    public static string Namespace(string scope, string key) => NamespacePrefix(scope) + Hash(key, 12);

    /// <summary>The host end of a task's veth for its <paramref name="index"/>-th network (<c>hv</c> + 10 hex + index).</summary>
    public static string HostVeth(string key, int index) => "hv" + Hash(key, 10) + index.ToString("x", System.Globalization.CultureInfo.InvariantCulture);

    public static string Hash(string key, int length) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..length];
}
