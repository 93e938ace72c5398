using Harrier.Api.Apps;
using Xunit;

namespace Harrier.Api.Tests.Apps;

public sealed class AppDefinitionReaderInvalidTests
{
    private const string Invalid = "Invalid JSON";
    private const string NotValid = "Object is not valid";

    // Each row: a body (single quotes), the expected message, path and error text. Status is always 422.
    [Theory]
    // ids
    [InlineData("{'id':'/My_App','cmd':'sleep 1'}", Invalid, "/id", "error.pattern")]
    [InlineData("{'cmd':'sleep 1'}", Invalid, "/id", "error.path.missing")]
    [InlineData("{'id':'','cmd':'sleep 1'}", Invalid, "/id", "error.minLength")]
    [InlineData("{'id':5,'cmd':'sleep 1'}", Invalid, "/id", "error.expected.jsstring")]
    [InlineData("{'id':'/a/tasks','cmd':'sleep 1'}", NotValid, "/id", "must not end with any of the following reserved keywords: restart, tasks, versions, ., ..")]
    [InlineData("{'id':'/a/restart','cmd':'sleep 1'}", NotValid, "/id", "must not end with any of the following reserved keywords: restart, tasks, versions, ., ..")]
    [InlineData("{'id':'/versions','cmd':'sleep 1'}", NotValid, "/id", "must not end with any of the following reserved keywords: restart, tasks, versions, ., ..")]
    [InlineData("{'id':'/','cmd':'sleep 1'}", NotValid, "/id", "Path must contain at least one path element")]
    [InlineData("{'id':'/a','cmd':'sleep 1','dependencies':['/B']}", Invalid, "/dependencies(0)", "error.pattern")]
    // resources
    [InlineData("{'id':'/a','cmd':'sleep 1','cpus':0}", Invalid, "/cpus", "error.min")]
    [InlineData("{'id':'/a','cmd':'sleep 1','mem':-3}", Invalid, "/mem", "error.min")]
    [InlineData("{'id':'/a','cmd':'sleep 1','disk':-1}", Invalid, "/disk", "error.min")]
    [InlineData("{'id':'/a','cmd':'sleep 1','gpus':-3}", Invalid, "/gpus", "error.min")]
    [InlineData("{'id':'/a','cmd':'sleep 1','instances':-1}", Invalid, "/instances", "error.min")]
    [InlineData("{'id':'/a','cmd':'sleep 1','instances':1.5}", Invalid, "/instances", "error.expected.int")]
    [InlineData("{'id':'/a','cmd':'sleep 1','cpus':'1'}", Invalid, "/cpus", "error.expected.jsnumber")]
    [InlineData("{'id':'/a','cmd':'sleep 1','backoffFactor':0.5}", Invalid, "/backoffFactor", "error.min")]
    // container images and docker parameters (Harrier: refused at POST instead of failing every launch)
    [InlineData("{'id':'/a','container':{'type':'DOCKER','docker':{'image':'mesosphere:marathon/latest'}}}", NotValid, "/container/docker/image", "invalid image reference 'mesosphere:marathon/latest': invalid registry 'mesosphere:marathon'")]
    [InlineData("{'id':'/a','container':{'type':'DOCKER','docker':{'image':'Busybox'}}}", NotValid, "/container/docker/image", "invalid image reference 'Busybox': repository name 'library/Busybox' must be lowercase")]
    [InlineData("{'id':'/a','container':{'type':'MESOS','docker':{'image':'a b'}}}", NotValid, "/container/docker/image", "invalid image reference 'a b': it contains whitespace")]
    [InlineData("{'id':'/a','container':{'type':'DOCKER','docker':{'image':'busybox','parameters':[{'key':'volumes-from','value':'x'}]}}}", NotValid, "/container/docker/parameters(0)/key", "docker parameter 'volumes-from' is not supported; supported: env, label, user, workdir, cap-add, cap-drop, read-only, tmpfs, ulimit, shm-size, hostname, name")]
    [InlineData("{'id':'/a','cmd':'sleep 1','gpus':1}", NotValid, "/", "Feature gpu_resources is not enabled. Enable with --enable_features gpu_resources)")]
    [InlineData("{'id':'/a','cmd':'sleep 1','cpus':2,'resourceLimits':{'cpus':1}}", NotValid, "/resourceLimits/cpus", "resource limit must be greater than or equal to requested resource (2.0)")]
    [InlineData("{'id':'/a','cmd':'sleep 1','resourceLimits':{'mem':'lots'}}", NotValid, "/resourceLimits/mem", "'lots' is an invalid resource limit. It must be 'unlimited' or a number")]
    [InlineData("{'id':'/a','cmd':'sleep 1','executor':'//'}", Invalid, "/executor", "error.pattern")]
    [InlineData("{'id':'/a','cmd':'sleep 1','container':{'type':'MESOS','docker':{'image':'x','pullConfig':{'secret':'s'}}}}", NotValid, "/container/docker/pullConfig", "pullConfig.secret must refer to an existing secret")]
    [InlineData("{'id':'/a','cmd':'sleep 1','container':{'type':'MESOS','docker':{'image':'x','pullConfig':{'secret':'s'}}}}", NotValid, "/container/docker/pullConfig", "Feature secrets is not enabled. Enable with --enable_features secrets)")]
    // command
    [InlineData("{'id':'/a','cmd':'x'}", NotValid, "/", "must not be an empty string")]
    [InlineData("{'id':'/a','cmd':''}", Invalid, "/cmd", "error.minLength")]
    [InlineData("{'id':'/a','cmd':'sleep 1','args':['sleep','1']}", NotValid, "/", "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'.")]
    [InlineData("{'id':'/a'}", NotValid, "/", "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'.")]
    [InlineData("{'id':'/a','container':{'type':'MESOS'}}", NotValid, "/", "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'.")]
    [InlineData("{'id':'/a','cmd':'sleep 1','container':{'volumes':[]}}", NotValid, "/container/docker", "not defined")]
    [InlineData("{'id':'/a','container':{'docker':{}}}", Invalid, "/container/docker/image", "error.path.missing")]
    [InlineData("{'id':'/a','container':{'type':'DOCKER','docker':{'image':'x','pullConfig':{'secret':'s'}}}}", NotValid, "/container/docker/pullConfig", "pullConfig is not supported with Docker containerizer")]
    [InlineData("{'id':'/a','container':{'type':'DOCKER','docker':{'image':'x','credential':{'principal':'p'}}}}", NotValid, "/container/docker/credential", "must be empty")]
    [InlineData("{'id':'/a','container':{'type':'MESOS','docker':{'image':'x','parameters':[{'key':'a','value':'b'}]}}}", NotValid, "/container/docker/parameters", "must be empty")]
    [InlineData("{'id':'/a','container':{'type':'rkt','docker':{'image':'x'}}}", Invalid, "/container/type", "error.unknown.enum.literal")]
    [InlineData("{'id':'/a','cmd':'sleep 1','check':{'tcp':{'portIndex':0}},'container':{'docker':{'image':'x'}}}", NotValid, "/", "AppDefinition must not use 'checks' if using docker")]
    // ports and networks
    [InlineData("{'id':'/a','cmd':'sleep 1','portDefinitions':[{'name':'http'},{'name':'http'}]}", NotValid, "/portDefinitions", "Port names must be unique.")]
    [InlineData("{'id':'/a','cmd':'sleep 1','portDefinitions':[{'port':80},{'port':80}]}", NotValid, "/portDefinitions", "Ports must be unique.")]
    [InlineData("{'id':'/a','cmd':'sleep 1','portDefinitions':[{'port':70000}]}", Invalid, "/portDefinitions(0)/port", "error.max")]
    [InlineData("{'id':'/a','cmd':'sleep 1','portDefinitions':[{'port':80,'name':'Http'}]}", Invalid, "/portDefinitions(0)/name", "error.pattern")]
    [InlineData("{'id':'/a','cmd':'sleep 1','portDefinitions':[{'protocol':'sctp'}]}", Invalid, "/portDefinitions(0)/protocol", "error.unknown.enum.literal")]
    // VIP labels (dcos-net's form: <name-or-ip>:<port>, split at the last ':')
    [InlineData("{'id':'/a','cmd':'sleep 1','portDefinitions':[{'port':0,'labels':{'VIP_0':'10.1.1.300:80'}}]}", NotValid, "/portDefinitions(0)/labels/VIP_0", "VIP address '10.1.1.300' is not a valid IPv4 or IPv6 address")]
    [InlineData("{'id':'/a','cmd':'sleep 1','portDefinitions':[{'port':0,'labels':{'VIP_0':'/web:70000'}}]}", NotValid, "/portDefinitions(0)/labels/VIP_0", "VIP port 70000 in '/web:70000' is out of range (1..65535)")]
    [InlineData("{'id':'/a','cmd':'sleep 1','portDefinitions':[{'port':0,'labels':{'VIP_0':'web'}}]}", NotValid, "/portDefinitions(0)/labels/VIP_0", "'web' is not a VIP; expected <name-or-ip>:<port> (like /myapp:80 or 10.1.2.3:5000)")]
    [InlineData("{'id':'/a','networks':[{'mode':'container/bridge'}],'container':{'type':'DOCKER','docker':{'image':'busybox'},'portMappings':[{'containerPort':80,'labels':{'VIP_0':'/web:80'}},{'containerPort':81,'labels':{'VIP_1':'/web:80'}}]}}", NotValid, "/container/portMappings(1)/labels/VIP_1", "VIP /web:80 (tcp) is already claimed by port 0 of this app; a VIP can point to only one port")]
    [InlineData("{'id':'/a','cmd':'sleep 1','ports':[80,80]}", NotValid, "/", "ports must be unique")]
    [InlineData("{'id':'/a','cmd':'sleep 1','ports':[80],'portDefinitions':[{'port':81}]}", NotValid, "/", "cannot specify both ports and port definitions")]
    [InlineData("{'id':'/a','cmd':'sleep 1','networks':[{'mode':'container/bridge'}],'container':{'type':'MESOS','portMappings':[{'name':'a'},{'name':'a'}]}}", NotValid, "/container/portMappings", "Port names must be unique.")]
    [InlineData("{'id':'/a','cmd':'sleep 1','networks':[{'mode':'container','name':'n1'}],'container':{'type':'MESOS','portMappings':[{'networkNames':['n2']}]}}", NotValid, "/container/portMappings(0)/networkNames(0)", "is not one of (n1)")]
    [InlineData("{'id':'/a','cmd':'sleep 1','networks':[{'mode':'container','name':'n1'},{'mode':'container','name':'n2'}],'container':{'type':'MESOS','portMappings':[{'hostPort':0}]}}", NotValid, "/container/portMappings(0)", "networkNames must be a single item list when hostPort is specified and more than 1 container network is defined")]
    [InlineData("{'id':'/a','cmd':'sleep 1','networks':[{'mode':'host','name':'x'}]}", NotValid, "/networks", "Host networks may not have names or labels")]
    [InlineData("{'id':'/a','cmd':'sleep 1','networks':[{'mode':'container/bridge','name':'x'}]}", NotValid, "/networks", "Bridge networks may not have names")]
    [InlineData("{'id':'/a','cmd':'sleep 1','networks':[{'name':'x'},{'name':'x'}]}", NotValid, "/networks", "Duplicate networks are not allowed")]
    [InlineData("{'id':'/a','cmd':'sleep 1','networks':[{'mode':'host'},{'mode':'container/bridge'}]}", NotValid, "/networks", "May specify a single host network, single bridge network, or else 1-to-n container networks")]
    [InlineData("{'id':'/a','cmd':'sleep 1','networks':[{'mode':'container'}]}", NotValid, "/networks", "Network name must be specified when container network is selected.")]
    [InlineData("{'id':'/a','cmd':'sleep 1','networks':[{'mode':'overlay'}]}", Invalid, "/networks(0)/mode", "error.unknown.enum.literal")]
    [InlineData("{'id':'/a','networks':[{'name':'a'},{'name':'b'}],'container':{'docker':{'image':'x'}}}", NotValid, "/", "may only specify a single container network when using the Docker container engine")]
    [InlineData("{'id':'/a','cmd':'sleep 1','networks':[{'name':'a'}],'ipAddress':{'networkName':'a'}}", NotValid, "/", "must not specify both networks and ipAddress")]
    [InlineData("{'id':'/a','networks':[{'mode':'host'}],'container':{'docker':{'image':'x','network':'BRIDGE'}}}", NotValid, "/", "must not specify both container.docker.network and networks")]
    [InlineData("{'id':'/a','container':{'type':'DOCKER','docker':{'image':'x'}},'ipAddress':{'discovery':{'ports':[{'number':80,'name':'http'}]}}}", NotValid, "/ipAddress", "ipAddress/discovery is not allowed for Docker containers")]
    // constraints
    [InlineData("{'id':'/a','cmd':'sleep 1','constraints':[['hostname']]}", NotValid, "/constraints(0)", "Each constraint must have either 2 or 3 fields")]
    [InlineData("{'id':'/a','cmd':'sleep 1','constraints':[['hostname','UNIQUE','x','y']]}", NotValid, "/constraints(0)", "Each constraint must have either 2 or 3 fields")]
    [InlineData("{'id':'/a','cmd':'sleep 1','constraints':[['','UNIQUE']]}", NotValid, "/constraints(0)", "missing field for constraint declaration")]
    [InlineData("{'id':'/a','cmd':'sleep 1','constraints':[['hostname','BOGUS']]}", NotValid, "/constraints(0)", "operator must be one of the following UNIQUE, CLUSTER, GROUP_BY, LIKE, MAX_PER, UNLIKE or IS")]
    [InlineData("{'id':'/a','cmd':'sleep 1','constraints':[['hostname','unique']]}", NotValid, "/constraints(0)", "operator must be one of the following UNIQUE, CLUSTER, GROUP_BY, LIKE, MAX_PER, UNLIKE or IS")]
    [InlineData("{'id':'/a','cmd':'sleep 1','constraints':[['hostname','UNIQUE','x']]}", NotValid, "/constraints(0)", "UNIQUE does not accept a value")]
    [InlineData("{'id':'/a','cmd':'sleep 1','constraints':[['rack','GROUP_BY','two']]}", NotValid, "/constraints(0)", "GROUP BY must define an integer value or else no value at all")]
    [InlineData("{'id':'/a','cmd':'sleep 1','constraints':[['rack','MAX_PER']]}", NotValid, "/constraints(0)", "MAX_PER requires an integer value")]
    [InlineData("{'id':'/a','cmd':'sleep 1','constraints':[['hostname','LIKE']]}", NotValid, "/constraints(0)", "LIKE and UNLIKE require a non-empty, regular expression value")]
    [InlineData("{'id':'/a','cmd':'sleep 1','constraints':[['hostname','UNIQUE'],['hostname','UNLIKE','(']]}", NotValid, "/constraints(1)", "is not a valid regular expression")]
    [InlineData("{'id':'/a','cmd':'sleep 1','constraints':[['rack','IS','{a,b}']]}", NotValid, "/constraints(0)", "IS only supports Mesos text and float values (see http://mesos.apache.org/documentation/latest/attributes-resources/)")]
    [InlineData("{'id':'/a','cmd':'sleep 1','constraints':[['rack',5]]}", Invalid, "/constraints(0)(1)", "error.expected.jsstring")]
    // health checks
    [InlineData("{'id':'/a','cmd':'sleep 1','healthChecks':[{'protocol':'HTTP','portIndex':1}]}", NotValid, "/healthChecks(0)", "Health check port indices must address an element of the ports array or container port mappings.")]
    [InlineData("{'id':'/a','cmd':'sleep 1','portDefinitions':[],'healthChecks':[{'protocol':'TCP'}]}", NotValid, "/healthChecks(0)", "Health check port indices must address an element of the ports array or container port mappings.")]
    [InlineData("{'id':'/a','cmd':'sleep 1','healthChecks':[{'protocol':'MESOS_TCP'},{'protocol':'MESOS_HTTP'}]}", NotValid, "/", "AppDefinition can contain at most one Mesos health check")]
    [InlineData("{'id':'/a','cmd':'sleep 1','healthChecks':[{'protocol':'HTTP','ipProtocol':'IPv6'}]}", NotValid, "/healthChecks(0)", "IPv6 can only be used for container type DOCKER and Mesos http/https/tcp health checks")]
    [InlineData("{'id':'/a','cmd':'sleep 1','healthChecks':[{'protocol':'GOPHER'}]}", Invalid, "/healthChecks(0)/protocol", "error.unknown.enum.literal")]
    [InlineData("{'id':'/a','cmd':'sleep 1','healthChecks':[{'gracePeriodSeconds':-1}]}", Invalid, "/healthChecks(0)/gracePeriodSeconds", "error.min")]
    [InlineData("{'id':'/a','cmd':'sleep 1','healthChecks':[{'protocol':'HTTP','command':{'value':'true'}}]}", NotValid, "/healthChecks(0)", "illegal protocol HTTP specified with command")]
    // readiness checks
    [InlineData("{'id':'/a','cmd':'sleep 1','portDefinitions':[{'name':'http-api'}],'readinessChecks':[{'timeoutSeconds':30,'intervalSeconds':30}]}", NotValid, "/readinessChecks(0)/timeoutSeconds", "got 30, expected less than 30")]
    [InlineData("{'id':'/a','cmd':'sleep 1','readinessChecks':[{'portName':'web'}]}", NotValid, "/readinessChecks(0)/portName", "No port definition reference for portName web")]
    [InlineData("{'id':'/a','cmd':'sleep 1','portDefinitions':[{'name':'http-api'}],'readinessChecks':[{},{}]}", NotValid, "/readinessChecks", "got 2, expected 1 or less")]
    [InlineData("{'id':'/a','cmd':'sleep 1','readinessChecks':[{'httpStatusCodesForReady':[99]}]}", Invalid, "/readinessChecks(0)/httpStatusCodesForReady(0)", "error.min")]
    [InlineData("{'id':'/a','cmd':'sleep 1','readinessChecks':[{'timeoutSeconds':0}]}", Invalid, "/readinessChecks(0)/timeoutSeconds", "error.min")]
    // env and secrets
    [InlineData("{'id':'/a','cmd':'sleep 1','env':{'P':{'secret':'s'}}}", NotValid, "/env", "use of secret-references in the environment requires the secrets feature to be enabled")]
    [InlineData("{'id':'/a','cmd':'sleep 1','env':{'P':{'secret':'s'}}}", NotValid, "/env/P/secret", "references an undefined secret")]
    [InlineData("{'id':'/a','cmd':'sleep 1','secrets':{'s':{'source':'/x'}}}", NotValid, "/secrets", "Feature secrets is not enabled. Enable with --enable_features secrets)")]
    [InlineData("{'id':'/a','cmd':'sleep 1','env':{'P':5}}", Invalid, "/env/P", "error.expected.jsobject")]
    [InlineData("{'id':'/a','cmd':'sleep 1','secrets':{'s':{'source':''}}}", Invalid, "/secrets/s/source", "error.minLength")]
    [InlineData("{'id':'/a','cmd':'sleep 1','labels':{'a':1}}", Invalid, "/labels/a", "error.expected.jsstring")]
    // strategies and labels
    [InlineData("{'id':'/a','cmd':'sleep 1','upgradeStrategy':{'minimumHealthCapacity':1.2,'maximumOverCapacity':0}}", Invalid, "/upgradeStrategy/minimumHealthCapacity", "error.max")]
    [InlineData("{'id':'/a','cmd':'sleep 1','upgradeStrategy':{'minimumHealthCapacity':-0.1,'maximumOverCapacity':0}}", Invalid, "/upgradeStrategy/minimumHealthCapacity", "error.min")]
    [InlineData("{'id':'/a','cmd':'sleep 1','upgradeStrategy':{'minimumHealthCapacity':0.5}}", Invalid, "/upgradeStrategy/maximumOverCapacity", "error.path.missing")]
    [InlineData("{'id':'/a','cmd':'sleep 1','unreachableStrategy':{'inactiveAfterSeconds':10,'expungeAfterSeconds':5}}", NotValid, "/unreachableStrategy/inactiveAfterSeconds", "inactiveAfterSeconds (10) must be less or equal to expungeAfterSeconds, which is 5")]
    [InlineData("{'id':'/a','cmd':'sleep 1','unreachableStrategy':'never'}", Invalid, "/unreachableStrategy", "error.expected.jsobject")]
    [InlineData("{'id':'/a','cmd':'sleep 1','unreachableStrategy':{'inactiveAfterSeconds':-1}}", Invalid, "/unreachableStrategy/inactiveAfterSeconds", "error.min")]
    [InlineData("{'id':'/a','cmd':'sleep 1','instances':2,'labels':{'MARATHON_SINGLE_INSTANCE_APP':'true'}}", NotValid, "/", "Single instance app may only have one instance")]
    [InlineData("{'id':'/a','cmd':'sleep 1','labels':{'MARATHON_SINGLE_INSTANCE_APP':'true'},'upgradeStrategy':{'minimumHealthCapacity':0.5,'maximumOverCapacity':0}}", NotValid, "/upgradeStrategy/minimumHealthCapacity", "got 0.5, expected 0.0")]
    [InlineData("{'id':'/a','cmd':'sleep 1','labels':{'DCOS_MIGRATION_API_VERSION':'v2'}}", NotValid, "/", "DCOS_PACKAGE_FRAMEWORK_NAME and DCOS_MIGRATION_API_PATH must be defined when using DCOS_MIGRATION_API_VERSION")]
    [InlineData("{'id':'/a','cmd':'sleep 1','killSelection':'RANDOM'}", Invalid, "/killSelection", "error.unknown.enum.literal")]
    // fetch
    [InlineData("{'id':'/a','cmd':'sleep 1','fetch':[{'uri':'http://x/a b'}]}", NotValid, "/fetch(0)/uri", "URI has invalid syntax.")]
    [InlineData("{'id':'/a','cmd':'sleep 1','fetch':[{'extract':true}]}", Invalid, "/fetch(0)/uri", "error.path.missing")]
    [InlineData("{'id':'/a','cmd':'sleep 1','uris':['http://x/a'],'fetch':[{'uri':'http://x/b'}]}", NotValid, "/uris", "may not be set in conjunction with fetch")]
    [InlineData("{'id':'/a','cmd':'sleep 1','uris':['http://x/%zz']}", NotValid, "/uris(0)", "URI has invalid syntax.")]
    // roles
    [InlineData("{'id':'/a','cmd':'sleep 1','acceptedResourceRoles':[]}", NotValid, "/acceptedResourceRoles", "must not be empty")]
    [InlineData("{'id':'/a','cmd':'sleep 1','acceptedResourceRoles':['*','other']}", NotValid, "/acceptedResourceRoles", "acceptedResourceRoles can only contain * and *")]
    [InlineData("{'id':'/a','cmd':'sleep 1','acceptedResourceRoles':['*','-x']}", NotValid, "/acceptedResourceRoles(1)", "A role name must not start with a '-'.")]
    [InlineData("{'id':'/a','cmd':'sleep 1','acceptedResourceRoles':['a b']}", NotValid, "/acceptedResourceRoles(0)", "A role name must not include a space (\\x20) character.")]
    [InlineData("{'id':'/a','cmd':'sleep 1','env':{'':'x'}}", NotValid, "/env(0)", "must not be empty")]
    [InlineData("{'id':'/a','cmd':'sleep 1','role':''}", Invalid, "/role", "error.minLength")]
    // volumes
    [InlineData("{'id':'/a','cmd':'sleep 1','container':{'type':'MESOS','volumes':[{'containerPath':'/data','mode':'RW','persistent':{'size':10}}]}}", NotValid, "/container/volumes(0)/containerPath", "value must not contain \"/\"")]
    [InlineData("{'id':'/a','cmd':'sleep 1','container':{'type':'MESOS','volumes':[{'containerPath':'data','mode':'RW','persistent':{'size':0}}]}}", NotValid, "/container/volumes(0)/persistent/size", "got 0, expected more than 0")]
    [InlineData("{'id':'/a','cmd':'sleep 1','container':{'type':'MESOS','volumes':[{'containerPath':'data','mode':'RW','persistent':{'size':10,'maxSize':20}}]}}", NotValid, "/container/volumes(0)/persistent", "Only mount volumes can have maxSize")]
    [InlineData("{'id':'/a','cmd':'sleep 1','container':{'type':'MESOS','volumes':[{'containerPath':'data','mode':'RW','persistent':{'size':10}}]},'upgradeStrategy':{'minimumHealthCapacity':0.5,'maximumOverCapacity':0.5}}", NotValid, "/upgradeStrategy/maximumOverCapacity", "got 0.5, expected 0.0")]
    [InlineData("{'id':'/a','cmd':'sleep 1','container':{'type':'MESOS','volumes':[{'containerPath':'data','mode':'RW','persistent':{'size':10}}]},'unreachableStrategy':{'inactiveAfterSeconds':1,'expungeAfterSeconds':2}}", NotValid, "/", "unreachableStrategy must be disabled for resident tasks")]
    [InlineData("{'id':'/a','cmd':'sleep 1','container':{'type':'MESOS','volumes':[{'containerPath':'data','mode':'RW','persistent':{'size':10}}]},'acceptedResourceRoles':['*','foo']}", NotValid, "/acceptedResourceRoles", "A resident app must have `acceptedResourceRoles = [\"*\"]`.")]
    [InlineData("{'id':'/a','cmd':'sleep 1','container':{'type':'MESOS','volumes':[{'containerPath':'/c','hostPath':'/h'}]}}", Invalid, "/container/volumes(0)/mode", "error.path.missing")]
    [InlineData("{'id':'/a','cmd':'sleep 1','container':{'type':'MESOS','volumes':[{'containerPath':'/c','mode':'RW','external':{'name':'v','provider':'dvdi'}}]}}", NotValid, "/container/volumes(0)", "Feature external_volumes is not enabled. Enable with --enable_features external_volumes)")]
    [InlineData("{'id':'/a','cmd':'sleep 1','residency':{}}", NotValid, "/", "App must contain persistent volumes and define residency")]
    [InlineData("{'id':'/a','cmd':'sleep 1','container':{'type':'MESOS','linuxInfo':{'seccomp':{'profileName':'p','unconfined':true}}}}", NotValid, "/container/linuxInfo/seccomp", "Seccomp unconfined can NOT be true when Profile is defined")]
    public void ReadApp_InvalidDefinition_Returns422WithMarathonMessage(string body, string message, string path, string error)
    {
        var result = AppJson.ReadFailed(body);

        Assert.Equal(422, result.Status);
        Assert.Equal(message, result.Message);
        Assert.Contains(error, AppJson.ErrorsAt(result, path));
    }

    [Theory]
    [InlineData("{'id':'/a','cmd':'sleep 1','container':{'type':'DOCKER','docker':{'image':'x','network':'NONE'}}}", "unsupported docker network type NONE")]
    [InlineData("{'id':'/a','cmd':'sleep 1','container':{'type':'MESOS','portMappings':[]},'ipAddress':{'networkName':'n','discovery':{'ports':[{'number':80,'name':'http'}]}}}", "container.portMappings and ipAddress.discovery.ports must not both be set")]
    [InlineData("{'id':'/a','cmd':'sleep 1','networks':[{'mode':'container/bridge'}],'container':{'type':'DOCKER','docker':{'image':'x','portMappings':[{'containerPort':1}]},'portMappings':[{'containerPort':2}]}}", "cannot specify both portMappings and docker.portMappings")]
    public void ReadApp_NormalizationConflict_Returns422InsteadOf500(string body, string message)
    {
        var result = AppJson.ReadFailed(body);

        Assert.Equal(422, result.Status);
        Assert.Equal(message, result.Message);
        Assert.Null(result.Details);
    }

    [Fact]
    public void ReadApp_NotAnObject_Returns422ExpectedObject()
    {
        var result = AppJson.ReadFailed("[1,2]");

        Assert.Equal(422, result.Status);
        Assert.Contains("error.expected.jsobject", AppJson.ErrorsAt(result, "/"));
    }

    [Fact]
    public void ReadApp_SeveralJsonErrors_ReportsEveryPath()
    {
        var result = AppJson.ReadFailed("{'id':'/a','cmd':'sleep 1','cpus':-1,'mem':'x','portDefinitions':[{'port':-1}]}");

        Assert.Equal(["error.min"], AppJson.ErrorsAt(result, "/cpus"));
        Assert.Equal(["error.expected.jsnumber"], AppJson.ErrorsAt(result, "/mem"));
        Assert.Equal(["error.min"], AppJson.ErrorsAt(result, "/portDefinitions(0)/port"));
    }

    [Fact]
    public void ReadApp_SecretsFeatureEnabled_AcceptsSecretReferences()
    {
        var context = new AppReadContext(EnabledFeatures: new HashSet<string> { "secrets" });

        var app = AppJson.ReadOk("{'id':'/a','cmd':'sleep 1','env':{'P':{'secret':'s'}},'secrets':{'s':{'source':'/db/pw'}}}", context);

        Assert.Equal("s", app.Env["P"].Secret);
        Assert.Equal("/db/pw", app.Secrets["s"]);
    }

    [Fact]
    public void ReadApp_UnknownSecretWithFeatureEnabled_ReportsUndefinedSecretOnly()
    {
        var context = new AppReadContext(EnabledFeatures: new HashSet<string> { "secrets" });

        var result = AppJson.ReadFailed("{'id':'/a','cmd':'sleep 1','env':{'P':{'secret':'nope'}}}", context);

        Assert.Equal(["references an undefined secret"], AppJson.ErrorsAt(result, "/env/P/secret"));
        Assert.Empty(AppJson.ErrorsAt(result, "/env"));
    }

    [Fact]
    public void ReadApp_UnknownNamedNetwork_422NamingItWhileKnownOnesPass()
    {
        var context = new AppReadContext { IsKnownNetwork = name => name is "dcos" or "cninet" };

        var result = AppJson.ReadFailed("{'id':'/a','cmd':'sleep 1','networks':[{'mode':'container','name':'cninet'},{'mode':'container','name':'nosuch'}],'container':{'type':'MESOS'}}", context);

        Assert.Equal(["Network 'nosuch' does not exist: it is no overlay (--overlay) and no agent offers it (--cni-config-dir)"], AppJson.ErrorsAt(result, "/networks(1)/name"));
        Assert.Empty(AppJson.ErrorsAt(result, "/networks(0)/name"));
        AppJson.ReadOk("{'id':'/a','cmd':'sleep 1','networks':[{'mode':'container','name':'dcos'}],'container':{'type':'MESOS'}}", context);
    }

    [Fact]
    public void ReadApp_AcceptedRolesWithOwnRole_Accepted()
    {
        var app = AppJson.ReadOk("{'id':'/a','cmd':'sleep 1','role':'dev','acceptedResourceRoles':['*','dev']}", new AppReadContext(DefaultRole: "dev"));

        Assert.Equal(["*", "dev"], app.AcceptedResourceRoles!.Value.Items);
    }
}
