using Harrier.Api.Errors;

namespace Harrier.Api.Apps;

/// <summary><c>env</c> and <c>secrets</c> (<c>EnvVarValidation</c>, <c>SecretValidation</c>): feature gate and references.</summary>
internal static class EnvSecretsValidator
{
    public static IEnumerable<Violation> Validate(AppRaml app, AppReadContext context)
    {
        var secretsEnabled = context.IsEnabled(AppReadContext.SecretsFeature);
        if (app.Secrets.Count > 0 && !secretsEnabled)
        {
            yield return new Violation("/secrets", AppReadContext.FeatureDisabledMessage(AppReadContext.SecretsFeature));
        }
        var index = 0;
        foreach (var key in app.Env.Keys)
        {
            // Apps use the legacy (non-strict) name rule: any name but the empty one.
            if (key.Length == 0)
            {
                yield return new Violation($"/env({index})", "must not be empty");
            }
            index++;
        }
        var refs = app.Env.Where(e => e.Value.IsSecret).OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        if (refs.Count > 0 && !secretsEnabled)
        {
            yield return new Violation("/env", "use of secret-references in the environment requires the secrets feature to be enabled");
        }
        foreach (var (name, value) in refs)
        {
            if (!app.Secrets.ContainsKey(value.Secret!))
            {
                yield return new Violation($"/env/{name}/secret", "references an undefined secret");
            }
        }
    }
}
