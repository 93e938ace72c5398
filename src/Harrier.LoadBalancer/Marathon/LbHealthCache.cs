namespace Harrier.LoadBalancer.Marathon;

/// <summary>
/// marathon-lb's last-verdict cache for <c>--health-check</c>: a task Marathon lists without
/// <c>healthCheckResults</c> (between two checks, or right after a Marathon restart) keeps the verdict it had at the
/// previous render; with none it is left out. The caller keeps one instance between renders. Verdicts of tasks absent
/// from a render are forgotten, so the cache never outgrows the cluster. Thread-safe.
/// </summary>
public sealed class LbHealthCache
{
    private readonly Lock _gate = new();
    private Dictionary<string, bool> _verdicts = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _verdicts.Count;
            }
        }
    }

    internal bool TryGet(string taskId, out bool alive)
    {
        lock (_gate)
        {
            return _verdicts.TryGetValue(taskId, out alive);
        }
    }

    internal void Set(string taskId, bool alive)
    {
        lock (_gate)
        {
            _verdicts[taskId] = alive;
        }
    }

    /// <summary>Forgets the verdicts of tasks not in <paramref name="seenTaskIds"/> (the tasks of the latest body).</summary>
    internal void Retain(IReadOnlySet<string> seenTaskIds)
    {
        lock (_gate)
        {
            if (_verdicts.Keys.All(seenTaskIds.Contains))
            {
                return;
            }
            _verdicts = _verdicts.Where(v => seenTaskIds.Contains(v.Key)).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        }
    }
}
