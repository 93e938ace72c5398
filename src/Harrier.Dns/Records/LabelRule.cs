namespace Harrier.Dns.Records;

/// <summary>Which host-name rule task and framework labels follow (Mesos-DNS <c>EnforceRFC952</c>).</summary>
public enum LabelRule
{
    /// <summary>RFC 1123 (the default): up to 63 characters, may start with a digit.</summary>
    Rfc1123,

    /// <summary>RFC 952: up to 24 characters, starts with a letter.</summary>
    Rfc952,
}
