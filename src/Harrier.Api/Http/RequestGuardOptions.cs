using System.Net;

namespace Harrier.Api.Http;

/// <summary>
/// What <see cref="RequestGuard"/> refuses before any endpoint runs. The host sets <see cref="LoopbackHostsOnly"/> when
/// it listens on a loopback address only; the size limits are enforced in middleware so that their answers carry
/// Marathon's JSON body (Kestrel's own 414 and 431 have none), and Kestrel's limits are set above them
/// (<see cref="KestrelRequestLineSize"/>, <see cref="KestrelHeadersSize"/>) as a backstop.
/// </summary>
public sealed class RequestGuardOptions
{
    /// <summary>Answer only requests whose <c>Host</c> is a loopback name or address (421 otherwise): DNS rebinding.</summary>
    public bool LoopbackHostsOnly { get; set; }

    /// <summary>Longest request target (path and query) answered; longer is a 414.</summary>
    public int MaxRequestTargetLength { get; set; } = 8 * 1024;

    /// <summary>Most header bytes (names, values and separators) answered; more is a 431.</summary>
    public int MaxHeadersBytes { get; set; } = 32 * 1024;

    /// <summary>Most header fields answered; more is a 431.</summary>
    public int MaxHeaderCount { get; set; } = 100;

    /// <summary>Kestrel's request-line limit (its own 414, without a body, only above this).</summary>
    public const int KestrelRequestLineSize = 64 * 1024;

    /// <summary>Kestrel's header limit (its own 431, without a body, only above this).</summary>
    public const int KestrelHeadersSize = 64 * 1024;

    /// <summary>Kestrel's header-count limit.</summary>
    public const int KestrelHeaderCount = 1000;

    /// <summary>True for a bind address that only local processes can reach (<c>localhost</c>, 127.0.0.0/8, ::1).</summary>
    public static bool IsLoopbackAddress(string address)
    {
        var host = address.Trim('[', ']');
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }
}
