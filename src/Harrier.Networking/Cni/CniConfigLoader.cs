namespace Harrier.Networking.Cni;

/// <summary>
/// Loads every <c>*.conflist</c> and <c>*.conf</c> of a directory in file-name order (libcni's order). A file that
/// cannot be read or fails the checks of <see cref="CniConfigParser"/> is skipped with a message, never fatal; a second
/// file naming a network already loaded is skipped too (the first one wins, as in libcni).
/// </summary>
public static class CniConfigLoader
{
    public const int MaxFiles = 256;

    public static CniConfigSet Load(string directory, IReadOnlyList<string> pluginDirs)
    {
        if (!Directory.Exists(directory))
        {
            return new CniConfigSet([], [$"{directory}: no such directory"]);
        }
        var files = Directory.EnumerateFiles(directory)
            .Where(f => f.EndsWith(".conflist", StringComparison.Ordinal) || f.EndsWith(".conf", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        var networks = new List<CniNetworkConfig>();
        var errors = new List<string>();
        foreach (var file in files.Take(MaxFiles))
        {
            try
            {
                if (new FileInfo(file).Length > CniConfigParser.MaxBytes)
                {
                    throw new FormatException($"larger than {CniConfigParser.MaxBytes} bytes");
                }
                var config = CniConfigParser.Parse(File.ReadAllText(file), file, file.EndsWith(".conflist", StringComparison.Ordinal), pluginDirs);
                if (networks.Any(n => n.Name == config.Name))
                {
                    throw new FormatException($"network {config.Name} is already defined by an earlier file");
                }
                networks.Add(config);
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                errors.Add($"{file}: {e.Message}");
            }
        }
        if (files.Count > MaxFiles)
        {
            errors.Add($"{directory}: only the first {MaxFiles} configuration files are read");
        }
        return new CniConfigSet(networks, errors);
    }
}
