using System.Globalization;
using System.Text.RegularExpressions;
using Harrier.Core.Apps;

namespace Harrier.Scheduling;

/// <summary>
/// The constraints of one app during one placement call (spec §7), with, per constraint, how many counted instances
/// hold each field value. Static operators (LIKE, UNLIKE, IS, CLUSTER with a value, a missing attribute) depend only on
/// the agent; the others depend on the counts. For all but GROUP_BY without a value an agent they reject stays rejected
/// as counts only grow, so the placer drops it for the rest of the request; an agent only that GROUP_BY rejects is
/// parked with its group and handed back (<see cref="Record(int, List{int})"/>) once the group is among the least
/// populated again — so each parked agent is looked at once per round of the groups, not once per placement.
/// </summary>
internal sealed class ConstraintState
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    private readonly Rule[] _rules;

    private ConstraintState(Rule[] rules)
    {
        _rules = rules;
        var rebalancing = rules.Where(r => r.IsRebalancing).ToList();
        Groups = rebalancing.Count == 1 ? rebalancing[0] : null;
    }

    /// <summary>The app's GROUP_BY without a value when it has exactly one (the placer then picks group by group), else null.</summary>
    public IRebalancingGroups? Groups { get; }

    public bool IsEmpty => _rules.Length == 0;

    /// <param name="targetInstances">N of the GROUP_BY quota: the app's instance count (at least what is placed and to place).</param>
    public static ConstraintState For(IReadOnlyList<ConstraintSpec> constraints, AgentPool pool, int targetInstances) =>
        new([.. constraints.Select(c => new Rule(c, pool.Field(c.Field), targetInstances))]);

    /// <summary>The checks that depend on the agent alone.</summary>
    public bool StaticOk(int agent)
    {
        foreach (var rule in _rules)
        {
            if (!rule.StaticOk(agent))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The checks that depend on where instances already are.</summary>
    public bool DynamicOk(int agent)
    {
        foreach (var rule in _rules)
        {
            if (!rule.DynamicOk(agent))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Sets aside an agent <see cref="DynamicOk"/> rejects. When only GROUP_BY without a value rejects it, it is kept
    /// with its group and returned by <see cref="Record(int, List{int})"/> when the group may take instances again
    /// (true); an agent another constraint rejects can never take one in this call and is dropped (false).
    /// </summary>
    public bool Park(int agent)
    {
        Rule? parkIn = null;
        foreach (var rule in _rules)
        {
            if (!rule.DynamicOk(agent))
            {
                if (!rule.IsRebalancing)
                {
                    return false;
                }
                parkIn ??= rule;
            }
        }
        parkIn?.Park(agent);
        return parkIn is not null;
    }

    /// <summary>The constraints that exclude <paramref name="agent"/> now, as Marathon writes them (<c>field:OPERATOR[:value]</c>).</summary>
    public IEnumerable<string> Excluding(int agent)
    {
        foreach (var rule in _rules)
        {
            if (!rule.StaticOk(agent) || !rule.DynamicOk(agent))
            {
                yield return rule.Text;
            }
        }
    }

    /// <summary>Counts an instance on <paramref name="agent"/>.</summary>
    public void Record(int agent) => Record(agent, null);

    /// <summary>Counts an instance on <paramref name="agent"/> and adds the parked agents it makes eligible again to <paramref name="released"/>.</summary>
    public void Record(int agent, List<int>? released)
    {
        foreach (var rule in _rules)
        {
            rule.Record(agent, released);
        }
    }

    private sealed class Rule : IRebalancingGroups
    {
        private readonly FieldColumn _field;
        private readonly int[] _counts;
        private readonly sbyte[] _staticByValue;
        private readonly Regex? _regex;
        private readonly string? _isValue;
        private readonly string? _clusterValue;
        private readonly bool _valid = true;
        private readonly int _number;
        private readonly int _quota;
        private readonly int _quotaRemainder;
        private readonly List<int> _groupsAtCount = [0];
        private Dictionary<int, List<int>>? _parked;
        private int _firstValue = -1;
        private int _groupsUsed;
        private int _groupsOverQuota;
        private int _min;

        public Rule(ConstraintSpec spec, FieldColumn field, int targetInstances)
        {
            _field = field;
            _counts = new int[field.Distinct.Length];
            _staticByValue = new sbyte[field.Distinct.Length];
            Operator = spec.Operator;
            Text = spec.Value is null ? $"{spec.Field}:{spec.Operator}" : $"{spec.Field}:{spec.Operator}:{spec.Value}";
            switch (spec.Operator)
            {
                case "LIKE" or "UNLIKE":
                    try
                    {
                        // Java's String.matches anchors at both ends.
                        _regex = new Regex("^(?:" + (spec.Value ?? "") + ")$", RegexOptions.CultureInvariant, RegexTimeout);
                    }
                    catch (ArgumentException)
                    {
                        _valid = false;
                    }
                    break;
                case "MAX_PER":
                    _valid = int.TryParse(spec.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _number);
                    break;
                case "GROUP_BY" when spec.Value is not null:
                    _valid = int.TryParse(spec.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _number) && _number > 0;
                    if (_valid)
                    {
                        // Marathon 1.11: floor(N/n) per group, and up to N mod n groups may hold one more.
                        _quota = targetInstances / _number;
                        _quotaRemainder = targetInstances % _number;
                    }
                    break;
                case "GROUP_BY":
                    IsRebalancing = true;
                    break;
                case "IS":
                    _isValue = spec.Value is null ? null : ConstraintField.NormalizeScalar(spec.Value);
                    break;
                case "UNIQUE" or "CLUSTER":
                    break;
                default:
                    _valid = false;
                    break;
            }
            _clusterValue = spec.Operator == "CLUSTER" ? spec.Value : null;
        }

        public string Operator { get; }

        public string Text { get; }

        /// <summary>
        /// GROUP_BY without a value (up to Marathon 1.9): only a new group or one of the least populated may take the
        /// next instance, so an agent it rejects can be accepted again later — the one non-monotone operator.
        /// </summary>
        public bool IsRebalancing { get; }

        public int Count => _counts.Length;

        public int Least => _min;

        public int GroupOf(int agent) => _field.Ids[agent];

        public bool MayTake(int group) => _counts[group] == 0 || _counts[group] == _min;

        public bool StaticOk(int agent)
        {
            if (!_valid)
            {
                return false;
            }
            var id = _field.Ids[agent];
            if (id < 0)
            {
                return Operator == "UNLIKE";
            }
            // Per distinct value, not per agent: a regex runs once per rack, not once per agent of the rack.
            if (_staticByValue[id] == 0)
            {
                _staticByValue[id] = StaticOk(_field.Distinct[id]) ? (sbyte)1 : (sbyte)-1;
            }
            return _staticByValue[id] > 0;
        }

        private bool StaticOk(string value) => Operator switch
        {
            "LIKE" => _regex!.IsMatch(value),
            "UNLIKE" => !_regex!.IsMatch(value),
            "IS" => value == _isValue,
            "CLUSTER" when !string.IsNullOrEmpty(_clusterValue) => value == _clusterValue,
            _ => true,
        };

        public bool DynamicOk(int agent)
        {
            var id = _field.Ids[agent];
            if (id < 0)
            {
                return true; // only UNLIKE gets here, and it has no dynamic part
            }
            var count = _counts[id];
            switch (Operator)
            {
                case "UNIQUE":
                    return count == 0;
                case "MAX_PER":
                    return count < _number;
                case "CLUSTER" when string.IsNullOrEmpty(_clusterValue):
                    return _firstValue < 0 || _firstValue == id;
                case "GROUP_BY" when !IsRebalancing:
                    if (count == 0)
                    {
                        return _groupsUsed < _number;
                    }
                    return count < _quota || (count == _quota && _groupsOverQuota < _quotaRemainder);
                case "GROUP_BY":
                    // Up to 1.9 (and with no value): a new group, or one of the least populated groups.
                    return count == 0 || count == _min;
                default:
                    return true;
            }
        }

        public void Park(int agent)
        {
            var id = _field.Ids[agent];
            _parked ??= [];
            if (!_parked.TryGetValue(id, out var agents))
            {
                _parked[id] = agents = [];
            }
            agents.Add(agent);
        }

        public void Record(int agent, List<int>? released)
        {
            var id = _field.Ids[agent];
            if (id < 0)
            {
                return;
            }
            if (_firstValue < 0)
            {
                _firstValue = id;
            }
            var before = _counts[id]++;
            if (before == 0)
            {
                _groupsUsed++;
            }
            if (before == _quota && !IsRebalancing && Operator == "GROUP_BY")
            {
                _groupsOverQuota++;
            }
            if (!IsRebalancing)
            {
                return;
            }
            // The least count over the groups in use: a new group makes it 1; it rises when the last group at it grows.
            if (_groupsAtCount.Count <= before + 1)
            {
                _groupsAtCount.Add(0);
            }
            _groupsAtCount[before + 1]++;
            if (before == 0)
            {
                _min = 1;
                return;
            }
            _groupsAtCount[before]--;
            if (before != _min || _groupsAtCount[before] > 0)
            {
                return;
            }
            _min = before + 1;
            if (_parked is null || released is null)
            {
                return;
            }
            foreach (var (group, agents) in _parked)
            {
                if (_counts[group] <= _min)
                {
                    released.AddRange(agents);
                    _parked.Remove(group);
                }
            }
        }
    }
}

/// <summary>
/// A GROUP_BY without a value over the agents: each agent's group (its value of the field), and whether a group may
/// take the next instance — a new group, or one holding the least count (<see cref="Least"/>, which only rises
/// while groups fill; a new group resets it to one).
/// </summary>
internal interface IRebalancingGroups
{
    /// <summary>The number of groups (distinct values); groups are numbered from 0.</summary>
    int Count { get; }

    /// <summary>The least instance count over the groups holding any.</summary>
    int Least { get; }

    /// <summary>The agent's group; only agents with the field pass the static checks.</summary>
    int GroupOf(int agent);

    bool MayTake(int group);
}
