using System.Collections;

namespace Harrier.Core.Collections;

/// <summary>
/// An immutable string-keyed map (ordinal order) with structural equality. Stored as one array sorted by key: maps here
/// are small (labels, environments, attributes) and built, enumerated and serialized far more often than looked up,
/// which a sorted array does with one allocation and no enumerator objects.
/// </summary>
public readonly struct ValueMap<TValue> : IReadOnlyDictionary<string, TValue>, IEquatable<ValueMap<TValue>>
{
    private static readonly KeyValuePair<string, TValue>[] None = [];
    private static readonly Comparison<KeyValuePair<string, TValue>> ByKey = (a, b) => string.CompareOrdinal(a.Key, b.Key);

    private readonly KeyValuePair<string, TValue>[]? _items;

    /// <summary>A duplicate key with a different value throws <see cref="ArgumentException"/>; with an equal value it is kept once.</summary>
    public ValueMap(IEnumerable<KeyValuePair<string, TValue>> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var array = items.ToArray();
        if (array.Length == 0)
        {
            return;
        }
        foreach (var (key, _) in array)
        {
            ArgumentNullException.ThrowIfNull(key, nameof(items));
        }
        Array.Sort(array, ByKey);
        var kept = 1;
        var comparer = EqualityComparer<TValue>.Default;
        for (var i = 1; i < array.Length; i++)
        {
            if (string.Equals(array[i].Key, array[kept - 1].Key, StringComparison.Ordinal))
            {
                if (!comparer.Equals(array[i].Value, array[kept - 1].Value))
                {
                    throw new ArgumentException($"An element with the same key but a different value already exists. Key: '{array[i].Key}'", nameof(items));
                }
                continue;
            }
            array[kept++] = array[i];
        }
        _items = kept == array.Length ? array : array[..kept];
    }

    private ValueMap(KeyValuePair<string, TValue>[] sorted, bool _) => _items = sorted;

    public static ValueMap<TValue> Empty => default;

    private KeyValuePair<string, TValue>[] Items => _items ?? None;

    public int Count => Items.Length;

    public bool IsEmpty => Count == 0;

    public TValue this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The key '{key}' was not present.");

    public IEnumerable<string> Keys => Items.Select(i => i.Key);

    public IEnumerable<TValue> Values => Items.Select(i => i.Value);

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, out TValue value)
    {
        var index = IndexOf(key);
        if (index < 0)
        {
            value = default!;
            return false;
        }
        value = Items[index].Value;
        return true;
    }

    public ValueMap<TValue> SetItem(string key, TValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        var items = Items;
        var index = IndexOf(key);
        if (index >= 0)
        {
            var copy = (KeyValuePair<string, TValue>[])items.Clone();
            copy[index] = new(key, value);
            return new ValueMap<TValue>(copy, true);
        }
        var at = ~index;
        var grown = new KeyValuePair<string, TValue>[items.Length + 1];
        Array.Copy(items, grown, at);
        grown[at] = new(key, value);
        Array.Copy(items, at, grown, at + 1, items.Length - at);
        return new ValueMap<TValue>(grown, true);
    }

    public bool Equals(ValueMap<TValue> other)
    {
        var mine = Items;
        var theirs = other.Items;
        if (mine.Length != theirs.Length)
        {
            return false;
        }
        var comparer = EqualityComparer<TValue>.Default;
        for (var i = 0; i < mine.Length; i++)
        {
            if (!string.Equals(mine[i].Key, theirs[i].Key, StringComparison.Ordinal) || !comparer.Equals(mine[i].Value, theirs[i].Value))
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

    /// <summary>The entries in ordinal key order, without allocating.</summary>
    public Enumerator GetEnumerator() => new(Items);

    IEnumerator<KeyValuePair<string, TValue>> IEnumerable<KeyValuePair<string, TValue>>.GetEnumerator() => ((IEnumerable<KeyValuePair<string, TValue>>)Items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => Items.GetEnumerator();

    public static bool operator ==(ValueMap<TValue> left, ValueMap<TValue> right) => left.Equals(right);

    public static bool operator !=(ValueMap<TValue> left, ValueMap<TValue> right) => !left.Equals(right);

    /// <summary>The index of <paramref name="key"/>, or the bitwise complement of where it would go.</summary>
    private int IndexOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var items = Items;
        var low = 0;
        var high = items.Length - 1;
        while (low <= high)
        {
            var mid = low + ((high - low) >> 1);
            var order = string.CompareOrdinal(items[mid].Key, key);
            if (order == 0)
            {
                return mid;
            }
            if (order < 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }
        return ~low;
    }

    public struct Enumerator(KeyValuePair<string, TValue>[] items)
    {
        private int _index = -1;

        public readonly KeyValuePair<string, TValue> Current => items[_index];

        public bool MoveNext() => ++_index < items.Length;
    }
}
