namespace Harrier.Host;

public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("harrier: not wired yet");
        return args.Length == 0 ? 1 : 2;
    }
}
