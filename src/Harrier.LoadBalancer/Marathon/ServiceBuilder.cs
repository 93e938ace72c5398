namespace Harrier.LoadBalancer.Marathon;

/// <summary>
/// marathon-lb's <c>get_apps</c>: apps → one <see cref="LbService"/> per service port, labels applied, with the task
/// ports that may receive traffic as backends. Tasks are left out when their host is empty, their state is not
/// running/lost/unreachable, (with <c>--health-check</c> and health checks defined) no result says alive and no cached
/// verdict does either, or their address cannot be found. Services without backends are not returned.
/// </summary>
internal static class ServiceBuilder
{
    private static readonly HashSet<string> ExcludedStates = new(StringComparer.Ordinal)
    {
        "TASK_STAGING", "TASK_STARTING", "TASK_KILLING", "TASK_FINISHED", "TASK_FAILED", "TASK_KILLED", "TASK_ERROR",
        "TASK_DROPPED", "TASK_GONE", "TASK_GONE_BY_OPERATOR", "TASK_UNKNOWN",
    };

    public static List<LbService> Build(IReadOnlyList<MarathonApp> apps, LbOptions options, LbHealthCache healthCache, List<string> warnings)
    {
        healthCache.Retain(apps.SelectMany(a => a.Tasks).Select(t => t.Id).ToHashSet(StringComparer.Ordinal));
        var merged = DeploymentGroups.Merge(apps, warnings);
        var assigner = new ServicePortAssigner(options.MinServicePortIpPerTask, options.MaxServicePortIpPerTask);
        options.Environment.TryGetValue("FRAMEWORK_NAME", out var self);
        var result = new List<LbService>();
        foreach (var app in merged)
        {
            if (self is not null && app.Id[1..] == self)
            {
                continue;
            }
            result.AddRange(BuildApp(app, options, assigner, healthCache, warnings).Where(s => s.Backends.Count > 0));
        }
        return result;
    }

    private static IEnumerable<LbService> BuildApp(
        MarathonApp app, LbOptions options, ServicePortAssigner assigner, LbHealthCache healthCache, List<string> warnings)
    {
        IReadOnlyList<string> groups = app.Labels.TryGetValue("HAPROXY_GROUP", out var group) ? group.Split(',') : [];
        var servicePorts = assigner.ServicePorts(app);
        // Keyed by the Marathon service port (before HAPROXY_n_PORT); a repeated port replaces the earlier service in place.
        var order = new List<int>();
        var services = new Dictionary<int, LbService?>();
        for (var i = 0; i < servicePorts.Count; i++)
        {
            if (servicePorts[i] is not { } servicePort)
            {
                warnings.Add($"app {LabelValues.Quote(app.Id)}: port index {i} has no service port (the IP-per-task range is used up)");
                continue;
            }
            LbService? service = new(app.Id, servicePort, HealthCheckFor(app, i), options.StrictMode, options.BindAddress ?? "*")
            {
                Groups = groups,
            };
            try
            {
                LabelApplier.Apply(service, app.Labels, i);
                if (service.HealthCheck is null && service.HealthcheckPortIndex is { } borrowed)
                {
                    service.HealthCheck = HealthCheckFor(app, borrowed);
                    if (service.HealthCheck?.Protocol is "HTTP" or "HTTPS" or "MESOS_HTTP" or "MESOS_HTTPS")
                    {
                        service.Mode = "http";
                    }
                }
            }
            catch (AppFormatException e)
            {
                warnings.Add($"app {LabelValues.Quote(app.Id)} service port {servicePort} dropped: {e.Message}");
                service = null;
            }
            if (!services.ContainsKey(servicePort))
            {
                order.Add(servicePort);
            }
            services[servicePort] = service;
        }
        foreach (var task in app.Tasks)
        {
            if (!Admitted(app, task, options, healthCache) || Address(app, task, options, warnings) is not { } ip)
            {
                continue;
            }
            var taskPorts = TaskPorts.Of(app, task);
            for (var i = 0; i < Math.Min(taskPorts.Count, servicePorts.Count); i++)
            {
                if (servicePorts[i] is { } sp && services.GetValueOrDefault(sp) is { } service)
                {
                    service.Backends.Add(new LbBackend(task.Host, ip, taskPorts[i], task.Draining, task.Id, task.AppId));
                }
            }
        }
        return order.Select(p => services[p]).OfType<LbService>();
    }

    /// <summary>marathon-lb's <c>get_health_check</c>: the first check with a port (it applies to every port) or this port index.</summary>
    private static MarathonHealthCheck? HealthCheckFor(MarathonApp app, int portIndex) =>
        app.HealthChecks.FirstOrDefault(c => c.Port is > 0 || c.PortIndex == portIndex);

    private static bool Admitted(MarathonApp app, MarathonTask task, LbOptions options, LbHealthCache healthCache)
    {
        if (task.Host.Length == 0 || (task.State is { } state && ExcludedStates.Contains(state)))
        {
            return false;
        }
        if (!options.HealthCheck || app.HealthChecks.Count == 0)
        {
            return true;
        }
        if (task.HealthResults is not { } results)
        {
            return healthCache.TryGet(task.Id, out var cached) && cached;
        }
        var alive = results.Contains(true);
        healthCache.Set(task.Id, alive);
        return alive;
    }

    /// <summary>The task's own IP (IP-per-task) or its agent's, resolved; null (with a warning) when there is none.</summary>
    private static string? Address(MarathonApp app, MarathonTask task, LbOptions options, List<string> warnings)
    {
        if (!LabelValues.IsToken(task.Host))
        {
            warnings.Add($"task {LabelValues.Quote(task.Id)} skipped: its host {LabelValues.Quote(task.Host)} is not a host name");
            return null;
        }
        if (TaskPorts.Of(app, task).Count == 0)
        {
            return null;
        }
        if (app.Mode == NetworkingMode.Container)
        {
            if (string.IsNullOrEmpty(task.IpAddress))
            {
                return null;
            }
            if (LabelValues.IsIp(task.IpAddress))
            {
                return task.IpAddress;
            }
            warnings.Add($"task {LabelValues.Quote(task.Id)} skipped: its address {LabelValues.Quote(task.IpAddress)} is not an IP address");
            return null;
        }
        if (LabelValues.IsIPv4(task.Host))
        {
            return task.Host;
        }
        var resolved = options.Resolve(task.Host);
        if (resolved is not null && LabelValues.IsIp(resolved))
        {
            return resolved;
        }
        warnings.Add($"task {LabelValues.Quote(task.Id)} skipped: its host {LabelValues.Quote(task.Host)} does not resolve");
        return null;
    }
}
