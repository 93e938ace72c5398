using Harrier.Api.Errors;

namespace Harrier.Api.Apps;

/// <summary>Marathon's canonical app validation (<c>validateCanonicalAppAPI</c>): every concern's validator in turn.</summary>
internal static class AppValidator
{
    public static IEnumerable<Violation> Validate(AppRaml app, string rawId, AppReadContext context) =>
        IdValidator.Validate(rawId, app.Dependencies, context.BaseId)
            .Concat(CommandValidator.Validate(app))
            .Concat(UserValidator.Validate(app, context))
            .Concat(ResourcesValidator.Validate(app, context))
            .Concat(ContainerValidator.Validate(app, context))
            .Concat(PortsValidator.Validate(app))
            .Concat(VipsValidator.Validate(app))
            .Concat(NetworksValidator.Validate(app, context))
            .Concat(ConstraintsValidator.Validate(app.Constraints))
            .Concat(HealthChecksValidator.Validate(app))
            .Concat(ReadinessChecksValidator.Validate(app))
            .Concat(EnvSecretsValidator.Validate(app, context))
            .Concat(FetchValidator.Validate(app))
            .Concat(RolesValidator.Validate(app, context))
            .Concat(LabelsValidator.Validate(app))
            .Concat(StrategyValidator.Validate(app))
            .Concat(LimitsValidator.Validate(app, rawId, context));
}
