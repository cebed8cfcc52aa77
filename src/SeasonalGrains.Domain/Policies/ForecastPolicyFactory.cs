namespace SeasonalGrains.Domain.Policies;

/// <summary>
/// Creates a forecast-driven policy from its name, description, the parameters it takes and how it is built
/// from checked inputs. Registered through <see cref="ForecastPolicyCatalog"/>, not the assembly scan of
/// <see cref="PolicyCatalog.Classical"/> (the policy needs an outlook on every review; the class has no
/// parameterless constructor for the scan to find).
/// </summary>
public class ForecastPolicyFactory : IReorderPolicyFactory
{
    private readonly string[] _parameters;
    private readonly Func<PolicyInputs, IReorderPolicy> _create;

    /// <param name="parameters">The parameter names the policy takes; any other is refused.</param>
    /// <param name="create">Builds the policy from inputs whose parameters are all known.</param>
    public ForecastPolicyFactory(string name, string description, string[] parameters, Func<PolicyInputs, IReorderPolicy> create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(create);
        Name = name;
        Description = description;
        _parameters = parameters;
        _create = create;
    }

    public string Name { get; }

    public string Description { get; }

    public IReorderPolicy Create(PolicyInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        inputs.RejectUnknown(Name, _parameters);
        return _create(inputs);
    }
}
