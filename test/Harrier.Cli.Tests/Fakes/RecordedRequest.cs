namespace Harrier.Cli.Tests.Fakes;

/// <summary>One request the fake server saw. <see cref="Query"/> is raw, with its leading '?' ("" when none).</summary>
public sealed record RecordedRequest(string Method, Uri Uri, string Path, string Query, string? Body, string? Accept)
{
    public string Line => $"{Method} {Path}{Query}";
}
