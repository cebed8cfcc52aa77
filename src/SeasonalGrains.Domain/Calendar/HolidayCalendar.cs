using System.Collections.Concurrent;

namespace SeasonalGrains.Domain.Calendar;

/// <summary>One holiday on one date.</summary>
public readonly record struct HolidayOccurrence(DateOnly Date, string Name);

/// <summary>
/// Holidays from yearly rules (fixed Gregorian dates, Chinese lunar dates) plus explicit dated entries
/// (for example a dataset's calendar.csv). Immutable and thread-safe; the With* methods return new calendars.
/// </summary>
public sealed class HolidayCalendar
{
    private readonly IHolidayRule[] _rules;
    private readonly HolidayOccurrence[] _dated; // sorted by date, then insertion order
    private readonly ConcurrentDictionary<int, HolidayOccurrence[]> _byYear = new();

    public HolidayCalendar(IEnumerable<IHolidayRule> rules, IEnumerable<HolidayOccurrence>? dated = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _rules = [.. rules];
        foreach (var rule in _rules)
        {
            ArgumentNullException.ThrowIfNull(rule, nameof(rules));
        }

        var list = dated?.ToList() ?? [];
        foreach (var occurrence in list)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(occurrence.Name, nameof(dated));
        }

        // A stable sort keeps the given order of names that share a date.
        _dated = [.. list.Select((o, i) => (o, i)).OrderBy(x => x.o.Date).ThenBy(x => x.i).Select(x => x.o).Distinct()];
        Names = new HashSet<string>(_rules.Select(r => r.Name).Concat(_dated.Select(o => o.Name)), StringComparer.Ordinal);
    }

    /// <summary>Double 11, 618, Spring Festival and Christmas.</summary>
    public static HolidayCalendar Standard { get; } = new(StandardHolidays.All);

    /// <summary>A calendar without holidays.</summary>
    public static HolidayCalendar Empty { get; } = new([]);

    /// <summary>Every holiday name this calendar can produce.</summary>
    public IReadOnlySet<string> Names { get; }

    public IReadOnlyList<IHolidayRule> Rules => _rules;

    /// <summary>The explicitly dated holidays, sorted by date.</summary>
    public IReadOnlyList<HolidayOccurrence> DatedHolidays => _dated;

    /// <summary>A calendar with this one's holidays plus <paramref name="rule"/>.</summary>
    public HolidayCalendar With(IHolidayRule rule) => new([.. _rules, rule], _dated);

    /// <summary>A calendar with this one's holidays plus the given dated holidays.</summary>
    public HolidayCalendar WithDates(IEnumerable<HolidayOccurrence> dated) => new(_rules, _dated.Concat(dated));

    /// <summary>A calendar with this one's holidays plus the given dated holidays.</summary>
    public HolidayCalendar WithDates(IEnumerable<(DateOnly Date, string Name)> dated) =>
        WithDates(dated.Select(d => new HolidayOccurrence(d.Date, d.Name)));

    /// <summary>All holiday names on <paramref name="date"/> (rules first, then dated entries).</summary>
    public IReadOnlyList<string> HolidaysOn(DateOnly date)
    {
        List<string>? names = null;
        foreach (var occurrence in OccurrencesIn(date.Year))
        {
            if (occurrence.Date == date)
            {
                (names ??= []).Add(occurrence.Name);
            }
        }

        return names is null ? [] : names;
    }

    /// <summary>The first holiday on <paramref name="date"/>, or null.</summary>
    public string? HolidayOn(DateOnly date)
    {
        foreach (var occurrence in OccurrencesIn(date.Year))
        {
            if (occurrence.Date == date)
            {
                return occurrence.Name;
            }

            if (occurrence.Date > date)
            {
                break;
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="date"/> is a holiday (one of <paramref name="names"/> if any are given).</summary>
    public bool IsHoliday(DateOnly date, params IReadOnlyCollection<string> names) => DaysToNext(date, 0, names) == 0;

    /// <summary>
    /// Days from <paramref name="date"/> to the next holiday on or after it (0 on a holiday), restricted to
    /// <paramref name="names"/> when any are given. Null when none falls within a year and a day.
    /// </summary>
    public int? DaysToNext(DateOnly date, params IReadOnlyCollection<string> names) => DaysToNext(date, 366, names);

    /// <summary>
    /// Days since the last holiday on or before <paramref name="date"/> (0 on a holiday), restricted to
    /// <paramref name="names"/> when any are given. Null when none fell within a year and a day.
    /// </summary>
    public int? DaysSincePrevious(DateOnly date, params IReadOnlyCollection<string> names) => DaysSincePrevious(date, 366, names);

    /// <summary>Days to the next holiday within <paramref name="maxDays"/> days, else null.</summary>
    public int? DaysToNext(DateOnly date, int maxDays, IReadOnlyCollection<string> names)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxDays);
        var last = date.DayNumber + maxDays;
        for (var year = date.Year; year <= Math.Min(DateOnly.MaxValue.Year, date.Year + (maxDays / 365) + 1); year++)
        {
            foreach (var occurrence in OccurrencesIn(year))
            {
                var day = occurrence.Date.DayNumber;
                if (day > last)
                {
                    return null;
                }

                if (day >= date.DayNumber && Matches(occurrence.Name, names))
                {
                    return day - date.DayNumber;
                }
            }
        }

        return null;
    }

    /// <summary>Days since the last holiday within <paramref name="maxDays"/> days, else null.</summary>
    public int? DaysSincePrevious(DateOnly date, int maxDays, IReadOnlyCollection<string> names)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxDays);
        var first = date.DayNumber - maxDays;
        for (var year = date.Year; year >= Math.Max(DateOnly.MinValue.Year, date.Year - (maxDays / 365) - 1); year--)
        {
            var occurrences = OccurrencesIn(year);
            for (var i = occurrences.Length - 1; i >= 0; i--)
            {
                var day = occurrences[i].Date.DayNumber;
                if (day < first)
                {
                    return null;
                }

                if (day <= date.DayNumber && Matches(occurrences[i].Name, names))
                {
                    return date.DayNumber - day;
                }
            }
        }

        return null;
    }

    /// <summary>All holidays from <paramref name="from"/> to <paramref name="to"/> inclusive, by date.</summary>
    public IEnumerable<HolidayOccurrence> Occurrences(DateOnly from, DateOnly to)
    {
        for (var year = from.Year; year <= to.Year; year++)
        {
            foreach (var occurrence in OccurrencesIn(year))
            {
                if (occurrence.Date >= from && occurrence.Date <= to)
                {
                    yield return occurrence;
                }
            }
        }
    }

    private static bool Matches(string name, IReadOnlyCollection<string> names) =>
        names.Count == 0 || names.Contains(name, StringComparer.Ordinal);

    private HolidayOccurrence[] OccurrencesIn(int year) => _byYear.GetOrAdd(year, Build);

    private HolidayOccurrence[] Build(int year)
    {
        var list = new List<HolidayOccurrence>();
        foreach (var rule in _rules)
        {
            if (rule.DateIn(year) is { } date && date.Year == year)
            {
                list.Add(new HolidayOccurrence(date, rule.Name));
            }
        }

        // Lunar rules late in the lunar year can fall in January or February of the next Gregorian year.
        foreach (var rule in _rules)
        {
            if (year > DateOnly.MinValue.Year && rule.DateIn(year - 1) is { } date && date.Year == year)
            {
                list.Add(new HolidayOccurrence(date, rule.Name));
            }
        }

        var first = LowerBound(new DateOnly(year, 1, 1));
        for (var i = first; i < _dated.Length && _dated[i].Date.Year == year; i++)
        {
            list.Add(_dated[i]);
        }

        // Rules come before dated entries on the same day; OrderBy is stable.
        return [.. list.Distinct().OrderBy(o => o.Date)];
    }

    private int LowerBound(DateOnly date)
    {
        int lo = 0, hi = _dated.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_dated[mid].Date < date)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
