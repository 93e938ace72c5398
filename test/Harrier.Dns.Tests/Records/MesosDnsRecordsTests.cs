using Harrier.Dns.Records;
using Xunit;

namespace Harrier.Dns.Tests.Records;

public sealed class MesosDnsRecordsTests
{
    [Theory]
    [MemberData(nameof(Fixtures.MesosDnsExpectations), MemberType = typeof(Fixtures))]
    public void Generate_UpstreamFixture_ReproducesEveryRecordExactly(string file)
    {
        var (state, config, expected) = Fixtures.MesosDnsCase(file);

        var records = MesosDnsRecords.Generate(state, config);

        var want = Fixtures.Lines(expected);
        Assert.NotEmpty(want);
        var got = Fixtures.Lines(records);
        Assert.Equal(string.Join('\n', want), string.Join('\n', got));
    }
}
