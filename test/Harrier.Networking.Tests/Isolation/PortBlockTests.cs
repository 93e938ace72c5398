using Harrier.Networking.Isolation;
using Shouldly;
using Xunit;

namespace Harrier.Networking.Tests.Isolation;

public sealed class PortBlockTests
{
    [Fact]
    public void Split_UnalignedRange_FewestAlignedBlocksCoveringExactlyIt()
    {
        var blocks = PortBlock.Split(31000, 31010);

        blocks.Select(b => b.ToString()).ShouldBe(["31000-31007", "31008-31009", "31010-31010"]);
        blocks.SelectMany(b => Enumerable.Range(b.Begin, b.Size)).ShouldBe(Enumerable.Range(31000, 11));
        blocks[0].Match.ShouldBe("31000 0xfff8");
    }

    [Fact]
    public void Cover_ScatteredPorts_MergesNeighboursAndDropsDuplicates()
    {
        PortBlock.Cover([31002, 31001, 31002, 31005]).Select(b => b.ToString()).ShouldBe(["31001-31001", "31002-31002", "31005-31005"]);
        PortBlock.Cover([20480, 20481, 20482, 20483]).ShouldBe([new PortBlock(20480, 4)]);
    }

    [Fact]
    public void SlotOf_IsolatorPriorities_GiveTheirSlotAndOthersNone()
    {
        PortMappingFilters.SlotOf(PortMappingFilters.ArpPriority(7)).ShouldBe(7);
        PortMappingFilters.SlotOf(PortMappingFilters.IcmpPriority(0)).ShouldBe(0);
        PortMappingFilters.SlotOf(PortMappingFilters.PortsPriority(42)).ShouldBe(42);
        PortMappingFilters.SlotOf(1).ShouldBeNull();
        PortMappingFilters.SlotOf(49152).ShouldBeNull();
    }
}
