namespace Harrier.Bench;

/// <summary>A process's descendants from <c>/proc</c>: how many, their summed VmRSS, and their names.</summary>
internal static class ProcessTree
{
    public static string Describe(int root)
    {
        var children = new Dictionary<int, List<int>>();
        var names = new Dictionary<int, string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var close = stat.LastIndexOf(')');
                var ppid = int.Parse(stat[(close + 2)..].Split(' ')[1]);
                names[pid] = stat[(stat.IndexOf('(') + 1)..close];
                (children.TryGetValue(ppid, out var list) ? list : children[ppid] = []).Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        var queue = new Queue<int>([root]);
        long rssKiB = 0;
        var count = 0;
        var byName = new SortedDictionary<string, int>(StringComparer.Ordinal);
        while (queue.TryDequeue(out var pid))
        {
            foreach (var child in children.GetValueOrDefault(pid) ?? [])
            {
                queue.Enqueue(child);
                count++;
                byName[names[child]] = byName.GetValueOrDefault(names[child]) + 1;
                try
                {
                    var line = File.ReadLines($"/proc/{child}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
                    rssKiB += line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                }
            }
        }
        return $"{count} processes ({string.Join(", ", byName.Select(p => $"{p.Value} {p.Key}"))}), RSS sum {rssKiB / 1024.0:0.0} MiB";
    }
}
