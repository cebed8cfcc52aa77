namespace SeasonalGrains.Domain.Naming;

/// <summary>
/// How the names of a registry (the policies, the forecasters) are read, so that every entry point parses
/// them alike: a name matches an entry when it equals it ignoring case (<c>ETS</c> is <c>ets</c>, <c>ss</c> is
/// <c>sS</c>) and stands for the entry's registered spelling from then on; a registry therefore refuses two
/// entries that differ only in case, and an unknown name is refused with the list of known ones.
/// </summary>
public static class RegisteredNames
{
    /// <summary>The comparison of written names with registered ones.</summary>
    public static StringComparer Comparer => StringComparer.OrdinalIgnoreCase;

    /// <summary>The registered spelling of <paramref name="text"/> among <paramref name="registered"/>, or null.</summary>
    public static string? Find(string text, IEnumerable<string> registered)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(registered);
        return registered.FirstOrDefault(name => Comparer.Equals(name, text));
    }

    /// <summary>
    /// The refusal of an unknown name: <c>unknown forecaster 'prophet' (known: naive, ets)</c>, or with
    /// <paramref name="where"/> <c>unknown forecaster 'prophet' in 'forecast-order-up-to:prophet' (known: ...)</c>.
    /// </summary>
    public static string Unknown(string kind, string text, IEnumerable<string> known, string? where = null) =>
        $"unknown {kind} '{text}'{(where is null ? "" : $" in '{where}'")} (known: {string.Join(", ", known)})";

    /// <summary>Throws <see cref="ArgumentException"/> when two of <paramref name="names"/> are equal ignoring case.</summary>
    public static void CheckUnique(IEnumerable<string> names, string plural)
    {
        ArgumentNullException.ThrowIfNull(names);
        var seen = new Dictionary<string, string>(Comparer);
        foreach (var name in names)
        {
            if (!seen.TryAdd(name, name))
            {
                throw new ArgumentException($"Two {plural} are named '{seen[name]}' and '{name}'; names must differ in more than case.");
            }
        }
    }
}
