namespace Harrier.Dns.Server;

/// <summary>The message section a record goes to.</summary>
internal enum DnsSection
{
    Answer,
    Authority,
    Additional,
}
