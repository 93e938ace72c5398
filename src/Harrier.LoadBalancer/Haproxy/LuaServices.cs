using System.Globalization;
using System.Text;

namespace Harrier.LoadBalancer.Haproxy;

/// <summary>
/// Writes the stats listener's Lua services into <see cref="LbPaths.LuaDirectory"/> with this work directory's paths
/// baked in as Lua string literals: <c>getpids</c> (the master and its workers, from the PID file and /proc — never
/// <c>pidof</c>, which lists every HAProxy on the machine), <c>getconfig</c> (the config file as it is now: runtime
/// changes rewrite it), <c>getvhostmap</c>/<c>getappmap</c> (the map files, empty when absent), and
/// <c>signalmlbhup</c>/<c>signalmlbusr1</c> (a POST to the balancer's control port through HAProxy 2.6's
/// <c>core.httpclient()</c>, answering marathon-lb's texts).
/// </summary>
internal static class LuaServices
{
    public static readonly string[] Files = ["getpids.lua", "getconfig.lua", "getmaps.lua", "signalmlb.lua"];

    /// <summary>Where the supervisor lists the workers it saw (for kernels without /proc/PID/task/PID/children).</summary>
    public static string WorkersFile(LbPaths paths) => Path.Combine(paths.WorkDirectory, "haproxy.workers");

    public static void Write(LbPaths paths, int? controlPort)
    {
        Directory.CreateDirectory(paths.LuaDirectory);
        AtomicFile.Write(Path.Combine(paths.LuaDirectory, "getpids.lua"), GetPids(paths));
        AtomicFile.Write(Path.Combine(paths.LuaDirectory, "getconfig.lua"), GetConfig(paths));
        AtomicFile.Write(Path.Combine(paths.LuaDirectory, "getmaps.lua"), GetMaps(paths));
        AtomicFile.Write(Path.Combine(paths.LuaDirectory, "signalmlb.lua"), SignalMlb(controlPort));
    }

    public static void WriteWorkers(LbPaths paths, IEnumerable<int> pids) =>
        AtomicFile.Write(WorkersFile(paths), string.Join(' ', pids.Select(p => p.ToString(CultureInfo.InvariantCulture))) + "\n");

    /// <summary>A Lua string literal for any text: quotes, backslashes and control bytes escaped as <c>\ddd</c>.</summary>
    public static string Literal(string text)
    {
        var sb = new StringBuilder("\"");
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (b is (byte)'"' or (byte)'\\' || b < 0x20 || b == 0x7f)
            {
                sb.Append('\\').Append(b.ToString("000", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append((char)b);
            }
        }
        return sb.Append('"').ToString();
    }

    private const string Common = """
        local function read_all(path)
          local f = io.open(path, "rb")
          if f == nil then return nil end
          local s = f:read("*a")
          f:close()
          return s
        end

        local function send(applet, status, body)
          applet:set_status(status)
          applet:add_header("content-length", string.len(body))
          applet:add_header("content-type", "text/plain")
          applet:start_response()
          applet:send(body)
        end

        """;

    private static string GetPids(LbPaths paths) => $$"""
        -- Harrier: this balancer's HAProxy PIDs (master, then its workers), space-separated like `pidof haproxy`.
        local pid_file = {{Literal(paths.PidFile)}}
        local workers_file = {{Literal(WorkersFile(paths))}}
        {{Common}}
        -- The parent PID of a live (non-zombie) process, or nil.
        local function parent_of(pid)
          local stat = read_all("/proc/" .. pid .. "/stat")
          if stat == nil then return nil end
          local state, ppid = stat:match("^.*%)%s+(%S+)%s+(%d+)")
          if state == nil or state == "Z" then return nil end
          return ppid
        end

        local function haproxy_pids()
          local master = (read_all(pid_file) or ""):match("%d+")
          if master == nil or parent_of(master) == nil then return "" end
          local pids = { master }
          local children = read_all("/proc/" .. master .. "/task/" .. master .. "/children")
          if children == nil then
            -- Kernels without CONFIG_PROC_CHILDREN: the workers the supervisor saw, if still this master's children.
            children = read_all(workers_file) or ""
          end
          for pid in children:gmatch("%d+") do
            if pid ~= master and parent_of(pid) == master then pids[#pids + 1] = pid end
          end
          return table.concat(pids, " ")
        end

        core.register_service("getpids", "http", function(applet)
          send(applet, 200, haproxy_pids())
        end)
        """;

    private static string GetConfig(LbPaths paths) => $$"""
        -- Harrier: the config file as it is now (runtime server changes rewrite it, so it matches what runs).
        local config_file = {{Literal(paths.ConfigFile)}}
        {{Common}}
        core.register_service("getconfig", "http", function(applet)
          send(applet, 200, read_all(config_file) or "")
        end)
        """;

    private static string GetMaps(LbPaths paths) => $$"""
        -- Harrier: the vhost and app-id map files (empty when absent, as without --haproxy-map).
        local vhost_map = {{Literal(paths.DomainMapFile)}}
        local app_map = {{Literal(paths.AppMapFile)}}
        {{Common}}
        core.register_service("getvhostmap", "http", function(applet)
          send(applet, 200, read_all(vhost_map) or "")
        end)

        core.register_service("getappmap", "http", function(applet)
          send(applet, 200, read_all(app_map) or "")
        end)
        """;

    private static string SignalMlb(int? controlPort) => $$"""
        -- Harrier: marathon-lb's signal endpoints, as a POST to the balancer's control port.
        local control_port = {{(controlPort is { } p ? p.ToString(CultureInfo.InvariantCulture) : "nil")}}
        {{Common}}
        local function signal(applet, what, name)
          local status = nil
          if control_port ~= nil then
            local ok, res = pcall(function()
              local hc = core.httpclient()
              return hc:post{ url = "http://127.0.0.1:" .. control_port .. "/_mlb_signal/" .. what, body = "", timeout = 5000 }
            end)
            if ok and res ~= nil then status = res.status end
          end
          if status == nil or status < 200 or status > 299 then
            local code = 1
            if status ~= nil and status > 0 then code = status end
            send(applet, 500, string.format("Failed to send %s signal to marathon-lb (exit code %d). Is marathon-lb running in 'poll' mode?", name, code))
            return
          end
          send(applet, 200, "Sent " .. name .. " signal to marathon-lb")
        end

        core.register_service("signalmlbhup", "http", function(applet)
          signal(applet, "hup", "SIGHUP")
        end)

        core.register_service("signalmlbusr1", "http", function(applet)
          signal(applet, "usr1", "SIGUSR1")
        end)
        """;
}
