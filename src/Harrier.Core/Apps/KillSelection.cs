namespace Harrier.Core.Apps;

public enum KillSelection
{
    YoungestFirst,
    OldestFirst,
}
