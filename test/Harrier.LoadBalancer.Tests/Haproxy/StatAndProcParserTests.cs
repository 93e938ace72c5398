using Harrier.LoadBalancer.Haproxy;
using Shouldly;
using Xunit;

namespace Harrier.LoadBalancer.Tests.Haproxy;

public sealed class StatAndProcParserTests
{
    [Fact]
    public void StatCsvParser_Rows_FieldsByHeaderName()
    {
        const string csv = "# pxname,svname,qcur,scur,stot,status,weight,iid,type,req_tot,hrsp_2xx,hrsp_5xx,eresp,econ,rtime,ttime,\n"
            + "app_10000,s1,2,5,100,UP,1,4,2,,90,3,1,2,12,40,\n"
            + "app_10000,BACKEND,0,5,100,UP,1,4,1,100,90,3,1,2,12,40,\n";

        var rows = StatCsvParser.Parse(csv);

        rows.Count.ShouldBe(2);
        rows[0].ShouldBe(new HaproxyStat("app_10000", "s1", 2, 4, "UP", 1, 5, 2, 100, 0, 0, 90, 0, 0, 3, 0, 1, 2, 0, 0, 12, 40));
        rows[0].IsServer.ShouldBeTrue();
        rows[1].ReqTot.ShouldBe(100);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Unknown command\n")]
    [InlineData("app,s1,1,2\n")]
    [InlineData("# pxname,svname,scur\n,,\nx,y,notanumber,extra,,,\n")]
    public void StatCsvParser_Garbage_NoCrash(string text)
    {
        var rows = StatCsvParser.Parse(text);

        rows.ShouldAllBe(r => r.Proxy.Length > 0 && r.Scur == 0);
    }

    [Fact]
    public void ShowProcParser_MasterWorkersOldWorkers_Parsed()
    {
        const string text = """
            #<PID>          <type>          <reloads>       <uptime>        <version>
            3178            master          2 [failed: 1]   0d00h10m49s     2.6.12-1+deb12u4
            # workers
            10955           worker          0               0d00h00m01s     2.6.12-1+deb12u4
            # old workers
            10900           worker          1               0d00h00m09s     2.6.12-1+deb12u4
            # programs

            """;

        ShowProcParser.Parse(text).ShouldBe(new HaproxyProcesses(3178, [10955], [10900], 2, 1), new ProcessesComparer());
    }

    [Theory]
    [InlineData("")]
    [InlineData("Unknown command.\n")]
    [InlineData("# workers\n12 worker 0\n")]
    public void ShowProcParser_NoMaster_Null(string text)
    {
        ShowProcParser.Parse(text).ShouldBeNull();
    }

    private sealed class ProcessesComparer : IEqualityComparer<HaproxyProcesses?>
    {
        public bool Equals(HaproxyProcesses? x, HaproxyProcesses? y) =>
            x is not null && y is not null && x.Master == y.Master && x.Workers.SequenceEqual(y.Workers) && x.OldWorkers.SequenceEqual(y.OldWorkers)
            && x.Reloads == y.Reloads && x.FailedReloads == y.FailedReloads;

        public int GetHashCode(HaproxyProcesses? obj) => obj?.Master ?? 0;
    }
}
