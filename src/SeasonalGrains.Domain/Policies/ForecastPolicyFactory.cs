namespace SeasonalGrains.Domain.Policies;

/// <summary>
/// Creates a forecast-driven policy from its name, description, the parameters it takes (any other is refused) and
/// how it is built from the inputs. Registered through <see cref="ForecastPolicyCatalog"/>, not the assembly scan of
/// <see cref="PolicyCatalog.Classical"/> (the policy needs an outlook on every review; the class has no parameterless
/// constructor for the scan to find).
/// </summary>
public class ForecastPolicyFactory(string name, string description, string[] parameters, Func<PolicyInputs, IReorderPolicy> create)
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
