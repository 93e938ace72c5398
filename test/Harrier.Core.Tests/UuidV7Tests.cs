using Harrier.Core.Ids;
using Xunit;

namespace Harrier.Core.Tests;

public sealed class UuidV7Tests
{
    private sealed class FixedTime(long ms) : TimeProvider
    {
        public long Ms { get; set; } = ms;

        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(Ms);
    }

    [Fact]
    public void Next_HasVersion7VariantAndTheTimeInTheFirst48Bits()
    {
        var text = new UuidV7(new FixedTime(1_790_000_000_123), new Random(1)).Next().ToString("D");
        Assert.Equal('7', text[14]);
        Assert.Contains(text[19], "89ab");
        Assert.Equal(1_790_000_000_123L, Convert.ToInt64(text[..8] + text[9..13], 16));
    }

    [Fact]
    public void Next_ManyInOneMillisecond_AllDistinct()
    {
        var ids = new UuidV7(new FixedTime(1_000), new Random(2));
        Assert.Equal(100_000, Enumerable.Range(0, 100_000).Select(_ => ids.Next()).ToHashSet().Count);
    }

    [Fact]
    public void Next_LaterMillisecond_SortsAfter()
    {
        var time = new FixedTime(1_000);
        var ids = new UuidV7(time, new Random(3));
        var first = ids.Next();
        time.Ms = 1_001;
        Assert.True(string.CompareOrdinal(first.ToString(), ids.Next().ToString()) < 0);
    }
}
