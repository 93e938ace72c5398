using System.Collections.Frozen;
using System.Net;
using Harrier.Dns.Zones;

namespace Harrier.Dns.Tests.Server;

/// <summary>Zones built by hand for the server tests (the record generator is not involved).</summary>
internal static class TestZones
{
    public static readonly ZoneAuthority Mesos = new("mesos.", 60, "ns1.mesos.", "root.ns1.mesos.", 42);
    public static readonly ZoneAuthority ThisDcos = new("thisdcos.directory.", 5, "ns.thisdcos.directory.", "support.mesosphere.com.", 7);

    public static ZoneSnapshot Small()
    {
        var names = new Dictionary<string, NameRecords>
        {
            ["web.marathon.mesos."] = new(
                [IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2"), IPAddress.Parse("10.0.0.3")],
                [IPAddress.Parse("fd00::1")], []),
            ["_web._tcp.marathon.mesos."] = new([], [],
                [new SrvData("web-aaaaa-s0.marathon.mesos.", 31001), new SrvData("web-bbbbb-s1.marathon.mesos.", 31002, Weight: 3)]),
            ["web-aaaaa-s0.marathon.mesos."] = new([IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.9.9.9")], [IPAddress.Parse("fd00::1")], []),
            ["web-bbbbb-s1.marathon.mesos."] = new([IPAddress.Parse("10.0.0.2")], [], []),
            ["web.marathon.autoip.dcos.thisdcos.directory."] = new([IPAddress.Parse("10.0.0.1")], [], []),
        };
        return new ZoneSnapshot([Mesos, ThisDcos], names.ToFrozenDictionary());
    }

    /// <summary>One name with <paramref name="count"/> A records (10.1.x.y).</summary>
    public static ZoneSnapshot Wide(int count)
    {
        var addresses = Enumerable.Range(0, count).Select(i => new IPAddress(new byte[] { 10, 1, (byte)(i / 256), (byte)(i % 256) })).ToArray();
        var srv = Enumerable.Range(0, count).Select(i => new SrvData($"task{i}.big.marathon.mesos.", (ushort)(30000 + i))).ToArray();
        var names = new Dictionary<string, NameRecords>
        {
            ["big.marathon.mesos."] = new(addresses, [], []),
            ["_big._tcp.marathon.mesos."] = new([], [], srv),
        };
        for (var i = 0; i < count; i++)
        {
            names[$"task{i}.big.marathon.mesos."] = new([addresses[i]], [], []);
        }
        return new ZoneSnapshot([Mesos], names.ToFrozenDictionary());
    }
}

internal sealed class FixedZoneSource(ZoneSnapshot zone) : IZoneSource
{
    public ZoneSnapshot Current { get; set; } = zone;
}
