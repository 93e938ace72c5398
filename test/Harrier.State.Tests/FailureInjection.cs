namespace Harrier.State.Tests;

/// <summary>Builds the stores' row hook that throws once a number of rows has been written.</summary>
internal static class FailureInjection
{
    public static Action<string>? After(int? rows)
    {
        if (rows is not { } limit)
        {
            return null;
        }
        var written = 0;
        return row =>
        {
            if (++written > limit)
            {
                throw new InjectedFailureException($"injected failure after {limit} rows, at {row}");
            }
        };
    }
}
