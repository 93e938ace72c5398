namespace Harrier.Drivers.Oci;

/// <summary>Docker's <c>--ulimit</c> names and the OCI <c>process.rlimits</c> types they map to.</summary>
internal static class OciRlimits
{
    private static readonly Dictionary<string, string> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        ["as"] = "RLIMIT_AS",
        ["core"] = "RLIMIT_CORE",
        ["cpu"] = "RLIMIT_CPU",
        ["data"] = "RLIMIT_DATA",
        ["fsize"] = "RLIMIT_FSIZE",
        ["locks"] = "RLIMIT_LOCKS",
        ["memlock"] = "RLIMIT_MEMLOCK",
        ["msgqueue"] = "RLIMIT_MSGQUEUE",
        ["nice"] = "RLIMIT_NICE",
        ["nofile"] = "RLIMIT_NOFILE",
        ["nproc"] = "RLIMIT_NPROC",
        ["rss"] = "RLIMIT_RSS",
        ["rtprio"] = "RLIMIT_RTPRIO",
        ["rttime"] = "RLIMIT_RTTIME",
        ["sigpending"] = "RLIMIT_SIGPENDING",
        ["stack"] = "RLIMIT_STACK",
    };

    public static string? TypeOf(string name) => Types.GetValueOrDefault(name);
}
