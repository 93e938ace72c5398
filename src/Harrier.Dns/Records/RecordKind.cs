namespace Harrier.Dns.Records;

/// <summary>The record types Mesos-DNS and dcos-net generate.</summary>
public enum RecordKind
{
    A,
    Aaaa,
    Srv,
}
