using System.Collections;
using System.Collections.Immutable;

namespace Harrier.Core.Collections;

/// <summary>
/// An immutable string-keyed map (ordinal order) with structural equality.
/// </summary>
public readonly struct ValueMap<TValue> : IReadOnlyDictionary<string, TValue>, IEquatable<ValueMap<TValue>>
{
    private readonly ImmutableSortedDictionary<string, TValue>? _items;

    /// <summary>A duplicate key with a different value throws <see cref="ArgumentException"/>.</summary>
    public ValueMap(IEnumerable<KeyValuePair<string, TValue>> items)
    {
        // Added through a builder rather than CreateRange, which sorts into a SortedDictionary first: half the
        // allocations for a task's environment, built thousands of times per launch pass.
        var builder = ImmutableSortedDictionary.CreateBuilder<string, TValue>(StringComparer.Ordinal);
        foreach (var (key, value) in items)
        {
            builder.Add(key, value);
        }
        _items = builder.ToImmutable();
    }

    public static ValueMap<TValue> Empty => new([]);

    public ImmutableSortedDictionary<string, TValue> Items => _items ?? ImmutableSortedDictionary<string, TValue>.Empty.WithComparers(StringComparer.Ordinal);

    public int Count => Items.Count;

    public bool IsEmpty => Count == 0;

    public TValue this[string key] => Items[key];

    public IEnumerable<string> Keys => Items.Keys;

    public IEnumerable<TValue> Values => Items.Values;

    public bool ContainsKey(string key) => Items.ContainsKey(key);

    public bool TryGetValue(string key, out TValue value) => Items.TryGetValue(key, out value!);

    public ValueMap<TValue> SetItem(string key, TValue value) => new(Items.SetItem(key, value));

    public bool Equals(ValueMap<TValue> other)
    {
        if (Count != other.Count)
        {
            return false;
        }
        var comparer = EqualityComparer<TValue>.Default;
        foreach (var (key, value) in Items)
        {
            if (!other.Items.TryGetValue(key, out var otherValue) || !comparer.Equals(value, otherValue))
            {
                return false;
            }
        }
        return true;
    }

    public override bool Equals(object? obj) => obj is ValueMap<TValue> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var (key, value) in Items)
        {
            hash.Add(key, StringComparer.Ordinal);
            hash.Add(value);
        }
        return hash.ToHashCode();
    }

    public IEnumerator<KeyValuePair<string, TValue>> GetEnumerator() => Items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public static bool operator ==(ValueMap<TValue> left, ValueMap<TValue> right) => left.Equals(right);

    public static bool operator !=(ValueMap<TValue> left, ValueMap<TValue> right) => !left.Equals(right);
}
