using Harrier.Cli;

namespace Harrier.Host;

/// <summary>
/// The <c>harrier</c> executable. Daemon verbs (<c>dev</c>) run here; every other verb is a client verb handled by
/// <see cref="CliApp"/>.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "dev")
        {
            var (options, error) = DevOptions.Parse(args[1..]);
            if (error is not null)
            {
                await Console.Error.WriteLineAsync(error);
                return error.StartsWith("Usage", StringComparison.Ordinal) ? 0 : 64;
            }
            return await DevHost.RunAsync(options!);
        }
        return await CliApp.RunAsync(args, Console.Out, Console.Error);
    }
}
