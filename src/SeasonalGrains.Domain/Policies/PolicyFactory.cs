namespace SeasonalGrains.Domain.Policies;

/// <summary>
/// Creates a policy from its name, description, the parameters it takes (any other is refused) and how it is built
/// from the inputs. The classical policies' factories derive from it with a parameterless constructor, which the
/// assembly scan of <see cref="PolicyCatalog.Classical"/> finds; the forecast-driven ones are registered through
/// <see cref="ForecastPolicyCatalog"/> (the policy needs an outlook on every review).
/// </summary>
public class PolicyFactory(string name, string description, string[] parameters, Func<PolicyInputs, IReorderPolicy> create)
    : IReorderPolicyFactory
{
    public string Name { get; } = name;

    public string Description { get; } = description;

    public IReorderPolicy Create(PolicyInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        inputs.RejectUnknown(Name, parameters);
        return create(inputs);
    }
}
