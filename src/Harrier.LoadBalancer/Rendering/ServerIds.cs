using System.Security.Cryptography;
using System.Text;

namespace Harrier.LoadBalancer.Rendering;

/// <summary>
/// marathon-lb's stable server ids and cookies. The id is <c>int(sha256(name)) mod 32767</c>; when that is 0 or already
/// taken in the backend, the same with <c>"&lt;name&gt; &lt;sha256 hex&gt;"</c>, repeatedly. Stable ids let HAProxy's
/// server-state file carry a server's state across reloads, provided backends are walked in the same (sorted) order.
/// </summary>
internal static class ServerIds
{
    private const int Modulus = 32767;

    public static int Next(string serverName, HashSet<int> taken)
    {
        var name = serverName;
        while (true)
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
            var id = 0;
            foreach (var b in hash)
            {
                id = ((id * 256) + b) % Modulus;
            }
            if (id > 0 && taken.Add(id))
            {
                return id;
            }
            name = $"{name} {Convert.ToHexStringLower(hash)}";
        }
    }

    /// <summary>The sticky-session cookie value: the first 10 hex digits of <c>sha1(name)</c>.</summary>
#pragma warning disable CA5350 // not security: marathon-lb's cookie value, reproduced for identical configs
    public static string Cookie(string serverName) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(serverName)))[..10];
#pragma warning restore CA5350
}
