using System.Globalization;
using System.Text.RegularExpressions;
using Harrier.Core.Apps;

namespace Harrier.Scheduling;

/// <summary>
/// The constraints of one app during one placement call (spec §7), with, per constraint, how many counted instances
/// hold each field value. Static operators (LIKE, UNLIKE, IS, CLUSTER with a value, a missing attribute) depend only on
/// the agent; the others depend on the counts, and for all but GROUP_BY without a value an agent they reject stays
/// rejected as counts only grow (<see cref="IsMonotone"/>), which lets the placer drop it for the rest of the request.
/// </summary>
internal sealed class ConstraintState
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    private readonly Rule[] _rules;
    private readonly int _targetInstances;

    private ConstraintState(Rule[] rules, int targetInstances)
    {
        _rules = rules;
        _targetInstances = targetInstances;
        IsMonotone = rules.All(r => !(r.Operator == "GROUP_BY" && r.Number is null));
    }

    public bool IsEmpty => _rules.Length == 0;

    public bool IsMonotone { get; }

    /// <param name="targetInstances">N of the GROUP_BY quota: the app's instance count (at least what is placed and to place).</param>
    public static ConstraintState For(IReadOnlyList<ConstraintSpec> constraints, AgentPool pool, int targetInstances) =>
        new([.. constraints.Select(c => new Rule(c, pool.FieldValues(c.Field)))], targetInstances);

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
            if (!rule.DynamicOk(agent, _targetInstances))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The constraints that exclude <paramref name="agent"/> now, as Marathon writes them (<c>field:OPERATOR[:value]</c>).</summary>
    public IEnumerable<string> Excluding(int agent)
    {
        foreach (var rule in _rules)
        {
            if (!rule.StaticOk(agent) || !rule.DynamicOk(agent, _targetInstances))
            {
                yield return rule.Text;
            }
        }
    }

    /// <summary>Counts an instance on <paramref name="agent"/>.</summary>
    public void Record(int agent)
    {
        foreach (var rule in _rules)
        {
            rule.Record(agent);
        }
    }

    private sealed class Rule
    {
        private readonly string?[] _values;
        private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
        private readonly Regex? _regex;
        private readonly string? _isValue;
        private readonly bool _valid = true;
        private string? _firstValue;

        public Rule(ConstraintSpec spec, string?[] values)
        {
            _values = values;
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
                    _valid = int.TryParse(spec.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var max);
                    Number = max;
                    break;
                case "GROUP_BY" when spec.Value is not null:
                    _valid = int.TryParse(spec.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var groups) && groups > 0;
                    Number = groups;
                    break;
                case "IS":
                    _isValue = spec.Value is null ? null : ConstraintField.NormalizeScalar(spec.Value);
                    break;
                case "UNIQUE" or "CLUSTER" or "GROUP_BY":
                    break;
                default:
                    _valid = false;
                    break;
            }
            ClusterValue = spec.Operator == "CLUSTER" ? spec.Value : null;
        }

        public string Operator { get; }

        public string Text { get; }

        public int? Number { get; }

        private string? ClusterValue { get; }

        public bool StaticOk(int agent)
        {
            if (!_valid)
            {
                return false;
            }
            var value = _values[agent];
            if (value is null)
            {
                return Operator == "UNLIKE";
            }
            return Operator switch
            {
                "LIKE" => _regex!.IsMatch(value),
                "UNLIKE" => !_regex!.IsMatch(value),
                "IS" => value == _isValue,
                "CLUSTER" when !string.IsNullOrEmpty(ClusterValue) => value == ClusterValue,
                _ => true,
            };
        }

        public bool DynamicOk(int agent, int targetInstances)
        {
            var value = _values[agent];
            if (value is null)
            {
                return true; // only UNLIKE gets here, and it has no dynamic part
            }
            var count = _counts.GetValueOrDefault(value);
            switch (Operator)
            {
                case "UNIQUE":
                    return count == 0;
                case "MAX_PER":
                    return count < Number!.Value;
                case "CLUSTER" when string.IsNullOrEmpty(ClusterValue):
                    return _firstValue is null || _firstValue == value;
                case "GROUP_BY" when Number is { } groups:
                    {
                        // Marathon 1.11: floor(N/n) per group, and up to N mod n groups may hold one more.
                        if (count == 0)
                        {
                            return _counts.Count < groups;
                        }
                        var quota = targetInstances / groups;
                        if (count < quota)
                        {
                            return true;
                        }
                        return count == quota && _counts.Values.Count(c => c > quota) < targetInstances % groups;
                    }
                case "GROUP_BY":
                    // Up to 1.9 (and with no value): a new group, or one of the least populated groups.
                    return count == 0 || count == _counts.Values.Min();
                default:
                    return true;
            }
        }

        public void Record(int agent)
        {
            var value = _values[agent];
            if (value is null)
            {
                return;
            }
            _firstValue ??= value;
            _counts[value] = _counts.GetValueOrDefault(value) + 1;
        }
    }
}
