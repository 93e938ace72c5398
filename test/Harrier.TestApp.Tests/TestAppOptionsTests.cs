using System.Net;
using Shouldly;
using Xunit;

namespace Harrier.TestApp.Tests;

public sealed class TestAppOptionsTests
{
    private static readonly Func<string, string?> NoEnv = _ => null;

    [Fact]
    public void Parse_NoArgumentsNoEnvironment_UsesDefaults()
    {
        var options = TestAppOptions.Parse([], NoEnv);

        options.ShouldBe(new TestAppOptions());
        options.Address.ShouldBe(IPAddress.Loopback);
        options.Port.ShouldBe(8080);
        options.Version.ShouldBe("v1");
        options.HealthStatus.ShouldBe(200);
        options.Ready.ShouldBeTrue();
        options.CrashAfterMs.ShouldBeNull();
        options.CrashCode.ShouldBe(1);
        options.Https.ShouldBeFalse();
    }

    [Fact]
    public void Parse_HttpsFlag_SetsHttps()
    {
        TestAppOptions.Parse(["--https"], NoEnv).Https.ShouldBeTrue();
    }

    [Fact]
    public void Parse_EnvironmentOnly_TakesFallbacks()
    {
        var env = new Dictionary<string, string> { ["PORT0"] = "31000", ["TESTAPP_VERSION"] = "v2", ["TESTAPP_START_DELAY_MS"] = "250", ["TESTAPP_CRASH_AFTER_MS"] = "900" };

        var options = TestAppOptions.Parse([], n => env.GetValueOrDefault(n));

        options.Port.ShouldBe(31000);
        options.Version.ShouldBe("v2");
        options.StartDelayMs.ShouldBe(250);
        options.CrashAfterMs.ShouldBe(900);
    }

    [Fact]
    public void Parse_FlagsAndEnvironment_FlagsWin()
    {
        var env = new Dictionary<string, string> { ["PORT0"] = "31000", ["TESTAPP_VERSION"] = "v2" };

        var options = TestAppOptions.Parse(["--port", "9001", "--version-string=v9"], n => env.GetValueOrDefault(n));

        options.Port.ShouldBe(9001);
        options.Version.ShouldBe("v9");
    }

    [Fact]
    public void Parse_EveryFlag_SetsItsField()
    {
        var options = TestAppOptions.Parse(
            ["--address", "*", "--unhealthy", "--not-ready", "--ready-after-ms", "10", "--start-delay-ms", "20", "--crash-after-ms", "30", "--crash-code", "4", "--ignore-sigterm"],
            NoEnv);

        options.ShouldBe(new TestAppOptions
        {
            Address = IPAddress.Any,
            HealthStatus = 503,
            Ready = false,
            ReadyAfterMs = 10,
            StartDelayMs = 20,
            CrashAfterMs = 30,
            CrashCode = 4,
            IgnoreSigterm = true,
        });
    }

    [Theory]
    [InlineData("--health-status", "99")]
    [InlineData("--health-status", "600")]
    [InlineData("--port", "70000")]
    [InlineData("--port", "-1")]
    [InlineData("--start-delay-ms", "soon")]
    [InlineData("--address", "not-an-ip")]
    [InlineData("--bogus", "1")]
    public void Parse_InvalidArgument_Throws(string flag, string value)
    {
        Should.Throw<ArgumentException>(() => TestAppOptions.Parse([flag, value], NoEnv));
    }

    [Fact]
    public void Parse_FlagMissingItsValue_Throws()
    {
        Should.Throw<ArgumentException>(() => TestAppOptions.Parse(["--port"], NoEnv)).Message.ShouldContain("--port");
    }
}
