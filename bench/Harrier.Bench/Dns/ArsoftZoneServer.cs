using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Harrier.Dns.Zones;

namespace Harrier.Bench.Dns;

/// <summary>
/// ARSoft.Tools.Net's DnsServer answering A and SRV questions from the same zone (no additional section, no
/// truncation: less work than Harrier's server does), so <c>dns --arsoft</c> measures the library's own ceiling.
/// </summary>
internal sealed class ArsoftZoneServer : IAsyncDisposable
{
    private readonly ARSoft.Tools.Net.Dns.DnsServer _server;

    public ArsoftZoneServer(ZoneSnapshot zone, int port)
    {
        Port = port;
        _server = new ARSoft.Tools.Net.Dns.DnsServer(new UdpServerTransport(new IPEndPoint(IPAddress.Loopback, port)));
        _server.QueryReceived += (_, e) =>
        {
            if (e.Query is DnsMessage query)
            {
                var response = query.CreateResponseInstance();
                response.IsAuthoritiveAnswer = true;
                foreach (var question in query.Questions)
                {
                    var name = question.Name.ToString().ToLowerInvariant();
                    name = name.EndsWith('.') ? name : name + ".";
                    if (!zone.TryGet(name, out var records))
                    {
                        response.ReturnCode = ReturnCode.NxDomain;
                        continue;
                    }
                    if (question.RecordType == RecordType.A)
                    {
                        foreach (var a in records.A)
                        {
                            response.AnswerRecords.Add(new ARecord(question.Name, 60, a));
                        }
                    }
                    else if (question.RecordType == RecordType.Srv)
                    {
                        foreach (var s in records.Srv)
                        {
                            response.AnswerRecords.Add(new SrvRecord(question.Name, 60, s.Priority, s.Weight, s.Port, DomainName.Parse(s.Target)));
                        }
                    }
                }
                e.Response = response;
            }
            return Task.CompletedTask;
        };
        _server.Start();
    }

    public int Port { get; }

    public ValueTask DisposeAsync()
    {
        _server.Stop();
        return ValueTask.CompletedTask;
    }
}
