using System.Globalization;

namespace Harrier.Linux;

/// <summary>What this machine offers: cores, memory (MiB) and free disk under a directory (MiB).</summary>
public static class MachineResources
{
    public static double Cpus() => Environment.ProcessorCount;

    public static double MemoryMiB()
    {
        foreach (var line in File.ReadLines("/proc/meminfo"))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                var kb = long.Parse(line["MemTotal:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return kb / 1024;
            }
        }
        return 0;
    }

    public static double DiskFreeMiB(string directory)
    {
        Directory.CreateDirectory(directory);
        var drive = new DriveInfo(Path.GetFullPath(directory));
        return drive.AvailableFreeSpace / (1024 * 1024);
    }
}
