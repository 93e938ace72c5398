namespace Harrier.Bench;

/// <summary>A process's descendants from <c>/proc</c>: how many, their names, and per name the summed RSS (counts
/// shared pages once per process) and PSS (shares them out: the memory they add up to).</summary>
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
        var count = 0;
        var byName = new SortedDictionary<string, (int Count, long Rss, long Pss)>(StringComparer.Ordinal);
        while (queue.TryDequeue(out var pid))
        {
            foreach (var child in children.GetValueOrDefault(pid) ?? [])
            {
                queue.Enqueue(child);
                count++;
                long rss = 0, pss = 0;
                try
                {
                    foreach (var line in File.ReadLines($"/proc/{child}/smaps_rollup"))
                    {
                        if (line.StartsWith("Rss:", StringComparison.Ordinal))
                        {
                            rss = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
                        }
                        else if (line.StartsWith("Pss:", StringComparison.Ordinal))
                        {
                            pss = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
                        }
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                }
                var sum = byName.GetValueOrDefault(names[child]);
                byName[names[child]] = (sum.Count + 1, sum.Rss + rss, sum.Pss + pss);
            }
        }
        return $"{count} processes: " + string.Join(", ", byName.Select(p =>
            $"{p.Value.Count} {p.Key} (RSS {p.Value.Rss / 1024.0:0.0} MiB, PSS {p.Value.Pss / 1024.0:0.0} MiB)"))
            + $"; PSS in all {byName.Values.Sum(v => v.Pss) / 1024.0:0.0} MiB";
    }
}
