using System.Text;

namespace Harrier.LoadBalancer.Tests.Zdd;

/// <summary>
/// The CSV stats a marathon-lb would serve for the fake cluster's apps, following its get_apps merge (spec §1.9):
/// the pair shares backend <c>&lt;group&gt;_&lt;HAPROXY_0_PORT&gt;</c>; the older <c>STARTED_AT</c> is old (swapped
/// when it was scaled more recently); N = min(#old tasks, new instances, max(0, new + old instances − target)) old
/// tasks, by task id, are <c>MAINT</c>. Apps carry no health checks, so every new instance counts as healthy.
/// The lastScalingAt swap applies only when <c>HAPROXY_DEPLOYMENT_NEW_INSTANCES</c> is non-zero, as marathon-lb meant
/// it: its code's test was always true, and since a kill with <c>scale=true</c> makes the old colour the more
/// recently scaled one, the last kill of a swap turned the roles around and zdd.py waited forever.
/// </summary>
internal static class FakeBalancerStats
{
    public const string Header = "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,";

    public static string ServerName(FakeTask task) => $"127_0_0_1_{task.Port}";

    public static (string Csv, HashSet<string> Drained) Render(IReadOnlyList<FakeApp> apps, IReadOnlyDictionary<int, int> busy, bool neverDrain)
    {
        var csv = new StringBuilder(Header).Append('\n');
        var drained = new HashSet<string>();
        foreach (var group in apps.GroupBy(a => a.Label("HAPROXY_DEPLOYMENT_GROUP") ?? a.Id))
        {
            var members = group.OrderBy(a => a.Label("HAPROXY_DEPLOYMENT_STARTED_AT") ?? "", StringComparer.Ordinal).ToList();
            var backend = group.Key.TrimStart('/') + "_" + (members[0].Label("HAPROXY_0_PORT") ?? members[0].ServicePort.ToString());
            var draining = new HashSet<FakeTask>();
            if (members.Count == 2)
            {
                var (old, @new) = (members[0], members[1]);
                var target = 1;
                if (@new.Label("HAPROXY_DEPLOYMENT_NEW_INSTANCES") is { } label)
                {
                    if (label != "0" && old.LastScaling > @new.LastScaling)
                    {
                        (old, @new) = (@new, old);
                    }
                    target = int.Parse(@new.Label("HAPROXY_DEPLOYMENT_TARGET_INSTANCES")!);
                }
                var n = Math.Min(old.Tasks.Count, Math.Min(@new.Instances, Math.Max(0, @new.Instances + old.Instances - target)));
                draining.UnionWith(old.Tasks.OrderBy(t => t.Id, StringComparer.Ordinal).Take(neverDrain ? 0 : n));
            }
            csv.Append(backend).Append(",FRONTEND,,,0,0,100,0,0,0,0,0,0,,,,,OPEN,,,,\n");
            foreach (var task in members.SelectMany(a => a.Tasks))
            {
                var sessions = busy.ContainsKey(task.Port) ? 1 : 0;
                var status = draining.Contains(task) ? "MAINT" : "UP";
                if (status == "MAINT" && sessions == 0)
                {
                    drained.Add(ServerName(task));
                }
                csv.Append(backend).Append(',').Append(ServerName(task)).Append(",0,0,").Append(sessions).Append(",1,,1,0,0,,0,,0,0,0,0,").Append(status).Append(",1,1,0,\n");
            }
            csv.Append(backend).Append(",BACKEND,0,0,0,0,100,0,0,0,0,0,,0,0,0,0,UP,1,1,0,\n");
        }
        return (csv.ToString(), drained);
    }
}
