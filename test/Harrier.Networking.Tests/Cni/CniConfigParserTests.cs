using Harrier.Networking.Cni;
using Xunit;

namespace Harrier.Networking.Tests.Cni;

/// <summary>Loading and checking CNI configuration: lists, single-plugin files, and every rule that keeps a file out.</summary>
public sealed class CniConfigParserTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "harrier-cnicfg-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _plugins;

    public CniConfigParserTests()
    {
        _plugins = Path.Combine(_dir, "plugins");
        Directory.CreateDirectory(_plugins);
        foreach (var name in new[] { "bridge", "host-local", "portmap" })
        {
            var path = Path.Combine(_plugins, name);
            File.WriteAllText(path, "#!/bin/sh\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        File.WriteAllText(Path.Combine(_plugins, "not-executable"), "");
        Directory.CreateDirectory(Path.Combine(_dir, "conf"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string List = """
        {"cniVersion":"1.0.0","name":"net1","plugins":[
          {"type":"bridge","bridge":"cni0","ipam":{"type":"host-local","subnet":"10.1.0.0/24"}},
          {"type":"portmap","capabilities":{"portMappings":true,"other":false}}]}
        """;

    private CniNetworkConfig Parse(string text, bool isList = true) => CniConfigParser.Parse(text, "test", isList, [_plugins]);

    private string Error(string text, bool isList = true) => Assert.Throws<FormatException>(() => Parse(text, isList)).Message;

    [Fact]
    public void Parse_ConfList_PluginsInOrderResolvedWithCapabilities()
    {
        var net = Parse(List);
        Assert.Equal("net1", net.Name);
        Assert.Equal("1.0.0", net.CniVersion);
        Assert.Equal(["bridge", "portmap"], net.Plugins.Select(p => p.Type));
        Assert.Equal(Path.Combine(_plugins, "bridge"), net.Plugins[0].Path);
        Assert.Equal(["portMappings"], net.Plugins[1].Capabilities);
        Assert.Empty(net.Plugins[0].Capabilities);
        Assert.True(net.MapsPorts);
    }

    [Fact]
    public void Parse_SingleConf_BecomesAListOfOne()
    {
        var net = Parse("""{"cniVersion":"0.4.0","name":"one","type":"bridge","ipam":{"type":"host-local"}}""", isList: false);
        Assert.Equal("one", net.Name);
        var plugin = Assert.Single(net.Plugins);
        Assert.Equal("bridge", plugin.Type);
        Assert.False(net.MapsPorts);
        // The stored list parses again as a list (what a DEL re-reads from the cache).
        Assert.Equal("bridge", Assert.Single(Parse(net.Json).Plugins).Type);
    }

    [Theory]
    [InlineData("0.3.0")]
    [InlineData("0.3.1")]
    [InlineData("0.4.0")]
    [InlineData("1.0.0")]
    public void Parse_SupportedVersion_Accepted(string version) =>
        Assert.Equal(version, Parse(List.Replace("1.0.0", version, StringComparison.Ordinal)).CniVersion);

    [Theory]
    [InlineData("0.2.0")]
    [InlineData("1.1.0")]
    [InlineData("")]
    public void Parse_UnsupportedVersion_Refused(string version) =>
        Assert.Contains("cniVersion", Error(List.Replace("1.0.0", version, StringComparison.Ordinal)), StringComparison.Ordinal);

    [Theory]
    [InlineData("")]
    [InlineData("-net")]
    [InlineData("a/b")]
    [InlineData("net work")]
    [InlineData("../etc")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Parse_UnsafeName_Refused(string name) =>
        Assert.Contains("\"name\"", Error(List.Replace("\"net1\"", "\"" + name + "\"", StringComparison.Ordinal)), StringComparison.Ordinal);

    [Theory]
    [InlineData("../plugins/bridge")]
    [InlineData("/usr/lib/cni/bridge")]
    [InlineData("..")]
    [InlineData("sub/bridge")]
    public void Parse_TypeWithPath_Refused(string type) =>
        Assert.Contains("plain file name", Error(List.Replace("\"type\":\"bridge\"", $"\"type\":\"{type}\"", StringComparison.Ordinal)), StringComparison.Ordinal);

    [Theory]
    [InlineData("macvlan")]
    [InlineData("not-executable")]
    public void Parse_TypeNotInPluginDirs_Refused(string type) =>
        Assert.Contains("no executable '" + type + "'", Error(List.Replace("\"type\":\"bridge\"", $"\"type\":\"{type}\"", StringComparison.Ordinal)), StringComparison.Ordinal);

    [Fact]
    public void Parse_IpamTypeWithPath_Refused() =>
        Assert.Contains("ipam.type", Error(List.Replace("\"host-local\"", "\"../../bin/sh\"", StringComparison.Ordinal)), StringComparison.Ordinal);

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"cniVersion":"1.0.0","name":"x","plugins":[]}""")]
    [InlineData("""{"cniVersion":"1.0.0","name":"x","plugins":{}}""")]
    [InlineData("""{"cniVersion":"1.0.0","name":"x","plugins":[42]}""")]
    [InlineData("""{"cniVersion":"1.0.0","name":"x","plugins":[{"type":"portmap","capabilities":{"portMappings":"yes"}}]}""")]
    public void Parse_Malformed_Refused(string text) => Assert.NotEmpty(Error(text));

    [Fact]
    public void Load_Directory_BadFilesSkippedWithAMessageOthersLoaded()
    {
        var conf = Path.Combine(_dir, "conf");
        File.WriteAllText(Path.Combine(conf, "10-net1.conflist"), List);
        File.WriteAllText(Path.Combine(conf, "20-bad.conflist"), "{ not json");
        File.WriteAllText(Path.Combine(conf, "30-dup.conflist"), List);
        File.WriteAllText(Path.Combine(conf, "40-single.conf"), """{"cniVersion":"0.3.1","name":"single","type":"bridge"}""");
        File.WriteAllText(Path.Combine(conf, "50-evil.conf"), """{"cniVersion":"0.3.1","name":"evil","type":"../../../bin/sh"}""");
        File.WriteAllText(Path.Combine(conf, "README.txt"), "ignored");

        var set = CniConfigLoader.Load(conf, [_plugins]);

        Assert.Equal(["net1", "single"], set.Names);
        Assert.Equal(3, set.Errors.Count);
        Assert.Contains(set.Errors, e => e.Contains("20-bad.conflist", StringComparison.Ordinal) && e.Contains("not valid JSON", StringComparison.Ordinal));
        Assert.Contains(set.Errors, e => e.Contains("30-dup.conflist", StringComparison.Ordinal) && e.Contains("already defined", StringComparison.Ordinal));
        Assert.Contains(set.Errors, e => e.Contains("50-evil.conf", StringComparison.Ordinal) && e.Contains("plain file name", StringComparison.Ordinal));
        Assert.Equal("single", set.Find("single")!.Name);
        Assert.Null(set.Find("evil"));
    }

    [Fact]
    public void Load_MissingDirectory_NoNetworksAndAMessage()
    {
        var set = CniConfigLoader.Load(Path.Combine(_dir, "nope"), [_plugins]);
        Assert.Empty(set.Networks);
        Assert.Contains("no such directory", Assert.Single(set.Errors), StringComparison.Ordinal);
    }
}
