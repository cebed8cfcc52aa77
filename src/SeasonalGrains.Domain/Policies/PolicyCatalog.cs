using System.Reflection;
using SeasonalGrains.Domain.Naming;

namespace SeasonalGrains.Domain.Policies;

/// <summary>
/// The policies a run may name. Built from every concrete <see cref="IReorderPolicyFactory"/> in the
/// given assemblies, so adding a policy is adding a class. Names are unique, also ignoring case: a written
/// name is read by <see cref="Resolve"/> as <see cref="RegisteredNames"/> says (as forecaster names are).
/// </summary>
public sealed class PolicyCatalog
{
    private readonly Dictionary<string, IReorderPolicyFactory> _factories;

    public PolicyCatalog(IEnumerable<IReorderPolicyFactory> factories)
    {
        _factories = new Dictionary<string, IReorderPolicyFactory>(StringComparer.Ordinal);
        foreach (var factory in factories)
        {
            if (!_factories.TryAdd(factory.Name, factory))
            {
                throw new ArgumentException($"Two policies are named '{factory.Name}': {_factories[factory.Name].GetType().Name} and {factory.GetType().Name}.");
            }
        }

        RegisteredNames.CheckUnique(_factories.Keys, "policies");
    }

    /// <summary>The classical policies of the inventory domain.</summary>
    public static PolicyCatalog Classical { get; } = FromAssemblies(typeof(PolicyCatalog).Assembly);

    public IReadOnlyCollection<IReorderPolicyFactory> Factories => _factories.Values;

    public IEnumerable<string> Names => _factories.Keys.Order(StringComparer.Ordinal);

    public static PolicyCatalog FromAssemblies(params Assembly[] assemblies) =>
        new(assemblies
            .SelectMany(a => a.GetTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IReorderPolicyFactory).IsAssignableFrom(t)
                && t.GetConstructor(Type.EmptyTypes) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (IReorderPolicyFactory)Activator.CreateInstance(t)!));

    public PolicyCatalog With(params IReorderPolicyFactory[] more) => new(_factories.Values.Concat(more));

    /// <summary>Whether <paramref name="name"/> is a registered spelling (see <see cref="Resolve"/> for written names).</summary>
    public bool Contains(string name) => _factories.ContainsKey(name);

    /// <summary>The registered spelling of a written policy name (<c>ss</c> is <c>sS</c>), or null when no policy has it.</summary>
    public string? Resolve(string name) => RegisteredNames.Find(name, _factories.Keys);

    public IReorderPolicyFactory Get(string name) =>
        _factories.TryGetValue(name, out var f)
            ? f
            : throw new KeyNotFoundException(RegisteredNames.Unknown("policy", name, Names) + ".");

    public IReorderPolicy Create(string name, PolicyInputs inputs) => Get(name).Create(inputs);
}
