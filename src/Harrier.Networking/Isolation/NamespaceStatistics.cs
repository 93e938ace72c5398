using System.Globalization;
using System.Text.Json;
using Harrier.Linux;

namespace Harrier.Networking.Isolation;

/// <summary>
/// Reads a task namespace's network statistics as Mesos' port-mapping isolator reported them: the counters of its
/// <c>eth0</c> (<c>net_rx_*</c>, <c>net_tx_*</c>, seen from the task), its egress shaper (<c>bw_limit</c>), and, when
/// asked, its TCP sockets (<c>net_tcp_*</c>). Parsing is separate from the tools, so it is tested on captured output.
/// </summary>
public static class NamespaceStatistics
{
    public static async Task<NetworkStatistics?> InterfaceAsync(string ns, string device, CancellationToken cancellationToken = default)
    {
        var (code, stdout, _) = await HostCommand.TryRunAsync("ip", ["-n", ns, "-s", "-j", "link", "show", "dev", device], cancellationToken: cancellationToken);
        return code == 0 ? ParseLink(stdout) : null;
    }

    public static async Task<IReadOnlyList<TrafficControlStatistics>> TrafficControlAsync(string ns, string device, CancellationToken cancellationToken = default)
    {
        var (code, stdout, _) = await HostCommand.TryRunAsync("tc", ["-n", ns, "-s", "-j", "qdisc", "show", "dev", device], cancellationToken: cancellationToken);
        return code == 0 ? ParseQdiscs(stdout) : [];
    }

    public static async Task<SocketStatistics?> SocketsAsync(string ns, bool summary, bool details, CancellationToken cancellationToken = default)
    {
        if (!summary && !details)
        {
            return null;
        }
        var result = new SocketStatistics();
        if (summary)
        {
            var (code, stdout, _) = await HostCommand.TryRunAsync("ip", ["netns", "exec", ns, "cat", "/proc/net/sockstat"], cancellationToken: cancellationToken);
            if (code == 0)
            {
                result = ParseSockstat(stdout);
            }
        }
        if (details)
        {
            var (code, stdout, _) = await HostCommand.TryRunAsync("ip", ["netns", "exec", ns, "ss", "-t", "-i", "-n", "-H"], cancellationToken: cancellationToken);
            if (code == 0)
            {
                result = WithRtts(result, ParseRtts(stdout));
            }
        }
        return result;
    }

    /// <summary><c>ip -s -j link show</c>: the device's <c>stats64</c>.</summary>
    internal static NetworkStatistics? ParseLink(string json)
    {
        using var doc = JsonDocument.Parse(json);
        foreach (var link in doc.RootElement.EnumerateArray())
        {
            if (!link.TryGetProperty("stats64", out var stats))
            {
                continue;
            }
            var rx = stats.GetProperty("rx");
            var tx = stats.GetProperty("tx");
            return new NetworkStatistics(
                rx.GetProperty("bytes").GetInt64(), rx.GetProperty("packets").GetInt64(), rx.GetProperty("errors").GetInt64(), rx.GetProperty("dropped").GetInt64(),
                tx.GetProperty("bytes").GetInt64(), tx.GetProperty("packets").GetInt64(), tx.GetProperty("errors").GetInt64(), tx.GetProperty("dropped").GetInt64());
        }
        return null;
    }

    /// <summary><c>tc -s -j qdisc show</c>: the root HTB qdisc (the egress limit) as Mesos' <c>bw_limit</c> entry.</summary>
    internal static IReadOnlyList<TrafficControlStatistics> ParseQdiscs(string json)
    {
        using var doc = JsonDocument.Parse(json);
        foreach (var q in doc.RootElement.EnumerateArray())
        {
            if (q.TryGetProperty("kind", out var kind) && kind.GetString() == "htb" && q.TryGetProperty("root", out var root) && root.ValueKind == JsonValueKind.True)
            {
                return [new TrafficControlStatistics("bw_limit",
                    Long(q, "backlog"), Long(q, "bytes"), Long(q, "drops"), Long(q, "overlimits"), Long(q, "packets"), Long(q, "qlen"),
                    Long(q, "rate"), Long(q, "pps"), Long(q, "requeues"))];
            }
        }
        return [];
    }

    /// <summary><c>/proc/net/sockstat</c>'s "TCP: inuse N orphan N tw N …" line.</summary>
    internal static SocketStatistics ParseSockstat(string text)
    {
        var result = new SocketStatistics();
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith("TCP:", StringComparison.Ordinal))
            {
                continue;
            }
            var tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (var i = 1; i + 1 < tokens.Length; i++)
            {
                if (long.TryParse(tokens[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                {
                    result = tokens[i] switch
                    {
                        "inuse" => result with { ActiveConnections = n },
                        "tw" => result with { TimeWaitConnections = n },
                        _ => result,
                    };
                }
            }
        }
        return result;
    }

    /// <summary>The non-zero round-trip times (microseconds) in <c>ss -tin</c> output ("rtt:0.05/0.025", milliseconds).</summary>
    internal static IReadOnlyList<double> ParseRtts(string text)
    {
        var rtts = new List<double>();
        foreach (var token in text.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (token.StartsWith("rtt:", StringComparison.Ordinal)
                && double.TryParse(token[4..].Split('/')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms > 0)
            {
                rtts.Add(Math.Round(ms * 1000));
            }
        }
        return rtts;
    }

    /// <summary>Mesos' nearest-rank percentiles (index size × p / 100 of the sorted values).</summary>
    internal static SocketStatistics WithRtts(SocketStatistics s, IReadOnlyList<double> rtts)
    {
        if (rtts.Count == 0)
        {
            return s;
        }
        var sorted = rtts.Order().ToList();
        double At(int p) => sorted[sorted.Count * p / 100];
        return s with { RttMicrosecsP50 = At(50), RttMicrosecsP90 = At(90), RttMicrosecsP95 = At(95), RttMicrosecsP99 = At(99) };
    }

    private static long? Long(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;
}
