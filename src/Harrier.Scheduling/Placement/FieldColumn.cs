namespace Harrier.Scheduling;

/// <summary>
/// One constraint field over the agents of an <see cref="AgentPool"/>: each agent's value (null when it lacks the
/// field) and a dense id per distinct value, so that per-value counts are arrays rather than string dictionaries.
/// </summary>
internal sealed class FieldColumn
{
    public FieldColumn(int agents, Func<int, string?> valueOf)
    {
        Values = new string?[agents];
        Ids = new int[agents];
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var distinct = new List<string>();
        for (var i = 0; i < agents; i++)
        {
            var value = valueOf(i);
            Values[i] = value;
            if (value is null)
            {
                Ids[i] = -1;
                continue;
            }
            if (!ids.TryGetValue(value, out var id))
            {
                id = distinct.Count;
                ids[value] = id;
                distinct.Add(value);
            }
            Ids[i] = id;
        }
        Distinct = [.. distinct];
    }

    /// <summary>Per agent: the field's value, or null.</summary>
    public string?[] Values { get; }

    /// <summary>Per agent: the index of its value in <see cref="Distinct"/>, or -1 without one.</summary>
    public int[] Ids { get; }

    /// <summary>The distinct values, in order of first appearance.</summary>
    public string[] Distinct { get; }
}
