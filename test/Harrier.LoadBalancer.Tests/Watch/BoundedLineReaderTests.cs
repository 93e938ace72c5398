using System.Text;
using Harrier.LoadBalancer.Watch;
using Shouldly;
using Xunit;

namespace Harrier.LoadBalancer.Tests.Watch;

public sealed class BoundedLineReaderTests
{
    [Fact]
    public async Task ReadLine_CrLfAndLf_SplitAcrossReads()
    {
        var reader = new BoundedLineReader(new MemoryStream(Encoding.UTF8.GetBytes("a\r\nbé\n\nlast")), 100);
        (await reader.ReadLineAsync(default)).ShouldBe("a");
        (await reader.ReadLineAsync(default)).ShouldBe("bé");
        (await reader.ReadLineAsync(default)).ShouldBe("");
        (await reader.ReadLineAsync(default)).ShouldBe("last");
        (await reader.ReadLineAsync(default)).ShouldBeNull();
    }

    [Fact]
    public async Task ReadLine_EndlessLine_RefusedAtTheCap()
    {
        var reader = new BoundedLineReader(new MemoryStream(new byte[100_000]), 50_000);
        await Should.ThrowAsync<InvalidDataException>(() => reader.ReadLineAsync(default));
    }
}
