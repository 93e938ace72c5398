using Harrier.LoadBalancer.Zdd;
using Shouldly;
using Xunit;

namespace Harrier.LoadBalancer.Tests.Zdd;

public sealed class HaproxyStatsCsvTests
{
    private const string Header = "# pxname,svname,qcur,qmax,scur,smax,status,check_desc,";

    [Fact]
    public void Parse_ColumnsFoundByName_ReadsTheRows()
    {
        var rows = HaproxyStatsCsv.Parse(Header + "\nweb_10000,a_1,,0,2,5,MAINT,\"x, y\",\nweb_10000,BACKEND,0,0,0,0,UP,,\n");

        rows.Count.ShouldBe(2);
        rows[0].ShouldBe(new HaproxyStatsRow("web_10000", "a_1", "MAINT", 0, 2));
        rows[0].IsDraining.ShouldBeTrue();
        rows[0].IsDrained.ShouldBeFalse();
        rows[1].IsServer.ShouldBeFalse();
    }

    [Fact]
    public void Parse_ShortOrNonNumericRows_SkippedOrNeverDrained()
    {
        var rows = HaproxyStatsCsv.Parse(Header + "\nweb,a_1\nweb,b_2,x,0,0,0,MAINT,,\r\n");

        var row = rows.ShouldHaveSingleItem();
        row.QueueCurrent.ShouldBeNull();
        row.IsDrained.ShouldBeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html>oops</html>")]
    [InlineData("# pxname,svname,status\nweb,a,UP\n")]
    public void Parse_NotHaproxyStats_ThrowsFormatException(string text)
    {
        Should.Throw<FormatException>(() => HaproxyStatsCsv.Parse(text)).Message.ShouldContain("not HAProxy CSV stats");
    }

    [Theory]
    [InlineData("UP", true, false)]
    [InlineData("no check", true, false)]
    [InlineData("DOWN", false, false)]
    [InlineData("MAINT", false, true)]
    [InlineData("MAINT(via)", false, true)]
    [InlineData("DRAIN", false, true)]
    public void Status_HaproxyStates_UpOrDraining(string status, bool up, bool draining)
    {
        var row = new HaproxyStatsRow("p", "s", status, 0, 0);

        row.IsUp.ShouldBe(up);
        row.IsDraining.ShouldBe(draining);
    }
}
