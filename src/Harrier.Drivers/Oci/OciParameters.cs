using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Harrier.Drivers.Oci;

/// <summary>
/// The <c>docker.parameters</c> keys the OCI driver understands (Docker CLI long options without the dashes), and
/// their parsing. The API validates apps against <see cref="Supported"/> so an app is refused (422) instead of
/// failing on the agent; the driver still refuses an unknown key itself.
/// </summary>
public static partial class OciParameters
{
    /// <summary>The same set the API validates with (<see cref="Core.Apps.DockerParameter.Supported"/>).</summary>
    public static IReadOnlySet<string> Supported { get; } = Core.Apps.DockerParameter.Supported.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Parses the parameters in order (later single-valued ones win); throws <see cref="DriverLaunchException"/>.</summary>
    internal static OciParameterSet Parse(IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        var set = new OciParameterSet();
        foreach (var (key, value) in parameters)
        {
            set = key switch
            {
                "env" => set with { Env = [.. set.Env, NameValue(key, value)] },
                "label" => set with { Labels = [.. set.Labels, NameValue(key, value)] },
                "user" => set with { User = NonEmpty(key, value) },
                "workdir" => set with { Workdir = value.StartsWith('/') ? value : throw Bad(key, value, "an absolute path") },
                "cap-add" => set with { CapAdd = [.. set.CapAdd, OciCapabilities.Normalize(value)] },
                "cap-drop" => set with { CapDrop = [.. set.CapDrop, OciCapabilities.Normalize(value)] },
                "read-only" => set with { ReadOnly = Bool(key, value) },
                "tmpfs" => set with { Tmpfs = [.. set.Tmpfs, Tmpfs(key, value)] },
                "ulimit" => set with { Ulimits = [.. set.Ulimits, Ulimit(key, value)] },
                "shm-size" => set with { ShmSizeBytes = Bytes(key, value) },
                "hostname" => set with { Hostname = NonEmpty(key, value) },
                // Docker's --name: only an annotation here, as the runtime's container id stays the task's.
                "name" => set with { Labels = [.. set.Labels, new("org.opencontainers.container.name", NonEmpty(key, value))] },
                _ => throw new DriverLaunchException($"Failed to launch the task: docker parameter '{key}' is not supported (supported: {string.Join(", ", Supported.Order(StringComparer.Ordinal))})"),
            };
        }
        return set;
    }

    private static KeyValuePair<string, string> NameValue(string key, string value)
    {
        var eq = value.IndexOf('=', StringComparison.Ordinal);
        return eq > 0 ? new(value[..eq], value[(eq + 1)..]) : throw Bad(key, value, "NAME=value");
    }

    private static string NonEmpty(string key, string value) => value.Length > 0 ? value : throw Bad(key, value, "a value");

    private static bool Bool(string key, string value) => value.ToUpperInvariant() switch
    {
        "" or "TRUE" => true,
        "FALSE" => false,
        _ => throw Bad(key, value, "true or false"),
    };

    private static (string Path, IReadOnlyList<string> Options) Tmpfs(string key, string value)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        var path = colon < 0 ? value : value[..colon];
        if (!path.StartsWith('/'))
        {
            throw Bad(key, value, "/path[:options]");
        }
        return (path, colon < 0 ? [] : value[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private static (string Type, ulong Soft, ulong Hard) Ulimit(string key, string value)
    {
        var eq = value.IndexOf('=', StringComparison.Ordinal);
        var type = eq > 0 ? OciRlimits.TypeOf(value[..eq]) : null;
        if (type is null)
        {
            throw Bad(key, value, "name=soft[:hard] with a known name (nofile, nproc, core, memlock, stack, …)");
        }
        var limits = value[(eq + 1)..].Split(':');
        if (limits.Length > 2 || !TryLimit(limits[0], out var soft))
        {
            throw Bad(key, value, "name=soft[:hard]");
        }
        var hard = soft;
        if (limits.Length == 2 && !TryLimit(limits[1], out hard))
        {
            throw Bad(key, value, "name=soft[:hard]");
        }
        return soft <= hard ? (type, soft, hard) : throw Bad(key, value, "a soft limit not above the hard one");
    }

    private static bool TryLimit(string text, out ulong limit)
    {
        if (text is "-1" or "unlimited")
        {
            limit = ulong.MaxValue;
            return true;
        }
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit);
    }

    /// <summary>Docker's memory sizes: a number with an optional b, k, m, g or t unit (powers of 1024).</summary>
    private static long Bytes(string key, string value)
    {
        var m = SizePattern().Match(value.Trim());
        if (!m.Success || !double.TryParse(m.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            throw Bad(key, value, "a size such as 64m or 1g");
        }
        var shift = m.Groups[2].Value.ToUpperInvariant() switch { "K" => 10, "M" => 20, "G" => 30, "T" => 40, _ => 0 };
        return (long)(n * (1L << shift));
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*([bkmgt])?(?:i?b)?$", RegexOptions.IgnoreCase)]
    private static partial Regex SizePattern();

    private static DriverLaunchException Bad(string key, string value, string expected) =>
        new($"Failed to launch the task: docker parameter {key}='{value}' is invalid: expected {expected}");
}
