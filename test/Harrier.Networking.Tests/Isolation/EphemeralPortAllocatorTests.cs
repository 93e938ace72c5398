using Harrier.Networking.Isolation;
using Shouldly;
using Xunit;

namespace Harrier.Networking.Tests.Isolation;

public sealed class EphemeralPortAllocatorTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "harrier-eph-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void Allocate_TwoOwners_AlignedBlocksInsideTheRangesOnePerOwner()
    {
        var ports = new EphemeralPortAllocator([(20000, 20100)], 32, _dir);

        var a = ports.Allocate("a");
        var b = ports.Allocate("b");

        ports.Capacity.ShouldBe(3, "blocks start at the first multiple of 32 (20000) and must end by 20100");
        a.Block.ShouldBe(new PortBlock(20000, 32));
        b.Block.Begin.ShouldBe(a.Block.Begin + 32);
        (a.Slot, b.Slot).ShouldBe((0, 1));
        ports.Allocate("a").ShouldBe(a, "a retried launch keeps its block");
    }

    [Fact]
    public void Allocations_AfterARestart_AreReadBackAndReleasedByOwner()
    {
        var a = new EphemeralPortAllocator([(40960, 45055)], 1024, _dir).Allocate("task-a");
        new EphemeralPortAllocator([(40960, 45055)], 1024, _dir).Allocate("task-b");

        var restarted = new EphemeralPortAllocator([(40960, 45055)], 1024, _dir);
        restarted.Allocations().Select(x => x.Owner).ShouldBe(["task-a", "task-b"]);
        restarted.Find("task-a").ShouldBe(a);
        restarted.Release("task-a");
        restarted.Allocations().Single().Owner.ShouldBe("task-b");
        restarted.Allocate("task-c").Block.ShouldBe(a.Block, "a freed block is handed out again");
    }

    [Fact]
    public void Allocate_AllBlocksTaken_ThrowsNamingTheShortage()
    {
        var ports = new EphemeralPortAllocator([(20480, 20511)], 16, _dir);
        ports.Allocate("a");
        ports.Allocate("b");

        Should.Throw<NetworkSetupException>(() => ports.Allocate("c")).Message.ShouldContain("no ephemeral port range left");
    }
}
