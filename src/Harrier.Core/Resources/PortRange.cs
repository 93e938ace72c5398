namespace Harrier.Core.Resources;

/// <summary>An inclusive port range, as in Mesos's <c>ports:[31000-32000]</c>.</summary>
public readonly record struct PortRange(int Begin, int End)
{
    public int Count => End - Begin + 1;

    public bool Contains(int port) => port >= Begin && port <= End;

    public override string ToString() => $"{Begin}-{End}";
}
