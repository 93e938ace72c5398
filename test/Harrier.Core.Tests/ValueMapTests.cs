using Harrier.Core.Collections;
using Xunit;

namespace Harrier.Core.Tests;

public sealed class ValueMapTests
{
    private static ValueMap<string> Map(params (string Key, string Value)[] items) => new(items.Select(i => KeyValuePair.Create(i.Key, i.Value)));

    [Fact]
    public void Enumerates_InOrdinalKeyOrder()
    {
        var map = Map(("b", "2"), ("B", "1"), ("a", "3"), ("_", "4"));

        Assert.Equal(["B", "_", "a", "b"], map.Keys);
        var seen = new List<string>();
        foreach (var (key, value) in map)
        {
            seen.Add(key + "=" + value);
        }
        Assert.Equal(["B=1", "_=4", "a=3", "b=2"], seen);
        Assert.Equal(["B=1", "_=4", "a=3", "b=2"], ((IEnumerable<KeyValuePair<string, string>>)map).Select(p => p.Key + "=" + p.Value));
    }

    [Fact]
    public void Lookup_FindsEveryKeyAndOnlyThose()
    {
        var keys = Enumerable.Range(0, 50).Select(i => $"k{i * 7 % 50:D2}").ToArray();
        var map = new ValueMap<int>(keys.Select((k, i) => KeyValuePair.Create(k, i)));

        for (var i = 0; i < keys.Length; i++)
        {
            Assert.True(map.TryGetValue(keys[i], out var value));
            Assert.Equal(i, value);
            Assert.Equal(i, map[keys[i]]);
        }
        Assert.False(map.ContainsKey("k"));
        Assert.False(map.ContainsKey("k50"));
        Assert.False(ValueMap<int>.Empty.TryGetValue("k00", out _));
        Assert.Throws<KeyNotFoundException>(() => map["nope"]);
    }

    [Fact]
    public void DuplicateKeys_SameValueKeptOnce_DifferentValueRejected()
    {
        Assert.Equal(2, Map(("a", "1"), ("b", "2"), ("a", "1")).Count);
        Assert.Throws<ArgumentException>(() => Map(("a", "1"), ("a", "2")));
    }

    [Fact]
    public void SetItem_ReplacesOrInsertsInOrder_LeavingTheOriginalAlone()
    {
        var map = Map(("b", "2"), ("d", "4"));

        var replaced = map.SetItem("d", "40");
        var first = map.SetItem("a", "1");
        var middle = map.SetItem("c", "3");
        var last = map.SetItem("e", "5");

        Assert.Equal(["b=2", "d=40"], replaced.Select(p => p.Key + "=" + p.Value));
        Assert.Equal(["a", "b", "d"], first.Keys);
        Assert.Equal(["b", "c", "d"], middle.Keys);
        Assert.Equal(["b", "d", "e"], last.Keys);
        Assert.Equal(["b=2", "d=4"], map.Select(p => p.Key + "=" + p.Value));
        Assert.Equal(["x"], ValueMap<string>.Empty.SetItem("x", "1").Keys);
    }

    [Fact]
    public void Equality_IsStructural_AndIgnoresInsertionOrder()
    {
        var a = Map(("x", "1"), ("y", "2"));
        var b = Map(("y", "2"), ("x", "1"));

        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, Map(("x", "1"), ("y", "3")));
        Assert.NotEqual(a, Map(("x", "1")));
        Assert.Equal(ValueMap<string>.Empty, Map());
        Assert.True(default(ValueMap<string>).IsEmpty);
    }
}
