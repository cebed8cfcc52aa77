using System.Reflection;
using System.Text.Json.Serialization;

namespace SeasonalGrains.Forecasting;

/// <summary>
/// The names of an enum's values as model.json, scenario files and commands write them: each value's
/// <see cref="JsonStringEnumMemberNameAttribute"/>, in declaration order.
/// </summary>
public static class JsonEnumNames<T>
    where T : struct, Enum
{
    private static readonly (T Value, string Name)[] Pairs =
    [
        .. typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f =>
            ((T)f.GetValue(null)!, f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name)),
    ];

    /// <summary>The names an option accepts.</summary>
    public static string[] Names { get; } = [.. Pairs.Select(p => p.Name)];

    /// <summary>The value <paramref name="name"/> stands for; an unknown name is refused with the known ones, calling the option <paramref name="what"/>.</summary>
    public static T Parse(string name, string what)
    {
        foreach (var (value, known) in Pairs)
        {
            if (string.Equals(known, name, StringComparison.Ordinal))
            {
                return value;
            }
        }

        throw new ArgumentException($"Unknown {what} '{name}'; use one of {string.Join(", ", Names)}.", nameof(name));
    }

    public static string Name(T value)
    {
        foreach (var (v, name) in Pairs)
        {
            if (EqualityComparer<T>.Default.Equals(v, value))
            {
                return name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(value), value, $"{typeof(T).Name} has no value {value}.");
    }
}
