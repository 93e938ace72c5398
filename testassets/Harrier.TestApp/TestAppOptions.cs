using System.Globalization;
using System.Net;

namespace Harrier.TestApp;

/// <summary>The test app's command line, with the environment fallbacks a Marathon-launched task relies on.</summary>
internal sealed record TestAppOptions
{
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    public int Port { get; init; } = 8080;

    public string Version { get; init; } = "v1";

    public int HealthStatus { get; init; } = 200;

    public bool Ready { get; init; } = true;

    public int StartDelayMs { get; init; }

    public int ReadyAfterMs { get; init; }

    public int? CrashAfterMs { get; init; }

    public int CrashCode { get; init; } = 1;

    public bool IgnoreSigterm { get; init; }

    /// <summary>Serve HTTPS with a self-signed certificate made at start (for HTTPS and MESOS_HTTPS checks).</summary>
    public bool Https { get; init; }

    public const string Usage = """
        usage: harrier-testapp [--port N] [--address A] [--version-string V] [--unhealthy] [--not-ready]
                               [--health-status N] [--start-delay-ms N] [--ready-after-ms N]
                               [--crash-after-ms N] [--crash-code C] [--ignore-sigterm] [--https]
        env fallbacks: PORT0, TESTAPP_VERSION, TESTAPP_START_DELAY_MS, TESTAPP_CRASH_AFTER_MS
        """;

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> with a readable message when invalid.</summary>
    public static TestAppOptions Parse(IReadOnlyList<string> args, Func<string, string?> env)
    {
        var options = new TestAppOptions
        {
            Port = Env(env, "PORT0") ?? 8080,
            Version = env("TESTAPP_VERSION") is { Length: > 0 } v ? v : "v1",
            StartDelayMs = Env(env, "TESTAPP_START_DELAY_MS") ?? 0,
            CrashAfterMs = Env(env, "TESTAPP_CRASH_AFTER_MS"),
        };
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inline) = Split(args[i]);
            string Value() => inline ?? (++i < args.Count ? args[i] : throw new ArgumentException($"{name} needs a value"));
            int Number() => ParseInt(name, Value());
            options = name switch
            {
                "--port" => options with { Port = Number() },
                "--address" => options with { Address = ParseAddress(Value()) },
                "--version-string" => options with { Version = Value() },
                "--unhealthy" => options with { HealthStatus = 503 },
                "--not-ready" => options with { Ready = false },
                "--health-status" => options with { HealthStatus = ParseStatus(Number()) },
                "--start-delay-ms" => options with { StartDelayMs = Number() },
                "--ready-after-ms" => options with { ReadyAfterMs = Number() },
                "--crash-after-ms" => options with { CrashAfterMs = Number() },
                "--crash-code" => options with { CrashCode = Number() },
                "--ignore-sigterm" => options with { IgnoreSigterm = true },
                "--https" => options with { Https = true },
                _ => throw new ArgumentException($"unknown argument '{args[i]}'"),
            };
        }
        if (options.Port is < 0 or > 65535)
        {
            throw new ArgumentException($"port {options.Port} is out of range");
        }
        return options;
    }

    public static int ParseStatus(int code) =>
        code is >= 100 and <= 599 ? code : throw new ArgumentException($"status {code} is not an HTTP status code");

    private static (string Name, string? Inline) Split(string arg)
    {
        var eq = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && eq > 0 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
    }

    private static int? Env(Func<string, string?> env, string name) =>
        env(name) is { Length: > 0 } value ? ParseInt(name, value) : null;

    private static int ParseInt(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0
            ? n
            : throw new ArgumentException($"{name} expects a non-negative integer, got '{value}'");

    private static IPAddress ParseAddress(string value) => value switch
    {
        "localhost" => IPAddress.Loopback,
        "*" => IPAddress.Any,
        _ => IPAddress.TryParse(value, out var ip) ? ip : throw new ArgumentException($"'{value}' is not an IP address"),
    };
}
