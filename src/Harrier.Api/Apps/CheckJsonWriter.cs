using System.Text.Json;
using Harrier.Core.Apps;

namespace Harrier.Api.Apps;

/// <summary>Writes health checks, the Mesos <c>check</c> and readiness checks.</summary>
internal static class CheckJsonWriter
{
    public static void WriteHealthCheck(Utf8JsonWriter w, HealthCheckSpec h)
    {
        w.WriteStartObject();
        if (h.Command is not null)
        {
            w.WriteStartObject("command");
            w.WriteString("value", h.Command);
            w.WriteEndObject();
        }
        w.WriteNumber("gracePeriodSeconds", h.GracePeriodSeconds);
        if (h.Protocol is HealthCheckProtocol.Http or HealthCheckProtocol.Https)
        {
            w.WriteBoolean("ignoreHttp1xx", h.IgnoreHttp1xx);
        }
        w.WriteNumber("intervalSeconds", h.IntervalSeconds);
        w.WriteNumber("maxConsecutiveFailures", h.MaxConsecutiveFailures);
        if (h.Path is not null)
        {
            w.WriteString("path", h.Path);
        }
        if (h.Port is { } port)
        {
            w.WriteNumber("port", port);
        }
        if (h.PortIndex is { } index)
        {
            w.WriteNumber("portIndex", index);
        }
        w.WriteString("protocol", HealthChecksValidator.ProtocolName(h.Protocol));
        w.WriteString("ipProtocol", h.IpProtocol);
        w.WriteNumber("timeoutSeconds", h.TimeoutSeconds);
        w.WriteNumber("delaySeconds", h.DelaySeconds);
        w.WriteEndObject();
    }

    public static void WriteCheck(Utf8JsonWriter w, CheckSpec c)
    {
        w.WriteStartObject();
        if (c.Http is { } http)
        {
            w.WriteStartObject("http");
            if (http.PortIndex is { } i)
            {
                w.WriteNumber("portIndex", i);
            }
            if (http.Port is { } p)
            {
                w.WriteNumber("port", p);
            }
            if (http.Path is not null)
            {
                w.WriteString("path", http.Path);
            }
            w.WriteString("scheme", http.Scheme);
            w.WriteEndObject();
        }
        if (c.Tcp is { } tcp)
        {
            w.WriteStartObject("tcp");
            if (tcp.PortIndex is { } i)
            {
                w.WriteNumber("portIndex", i);
            }
            if (tcp.Port is { } p)
            {
                w.WriteNumber("port", p);
            }
            w.WriteEndObject();
        }
        if (c.ExecCommand is not null)
        {
            w.WriteStartObject("exec");
            w.WriteStartObject("command");
            w.WriteString("shell", c.ExecCommand);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteNumber("intervalSeconds", c.IntervalSeconds);
        w.WriteNumber("timeoutSeconds", c.TimeoutSeconds);
        w.WriteNumber("delaySeconds", c.DelaySeconds);
        w.WriteEndObject();
    }

    public static void WriteReadinessCheck(Utf8JsonWriter w, ReadinessCheckSpec rc)
    {
        w.WriteStartObject();
        w.WriteString("name", rc.Name);
        w.WriteString("protocol", rc.Protocol);
        w.WriteString("path", rc.Path);
        w.WriteString("portName", rc.PortName);
        w.WriteNumber("intervalSeconds", rc.IntervalSeconds);
        w.WriteNumber("timeoutSeconds", rc.TimeoutSeconds);
        w.WriteStartArray("httpStatusCodesForReady");
        foreach (var code in rc.HttpStatusCodesForReady)
        {
            w.WriteNumberValue(code);
        }
        w.WriteEndArray();
        w.WriteBoolean("preserveLastResponse", rc.PreserveLastResponse);
        w.WriteEndObject();
    }
}
