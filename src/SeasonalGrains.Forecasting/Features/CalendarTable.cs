using System.Runtime.CompilerServices;
using SeasonalGrains.Domain.Calendar;

namespace SeasonalGrains.Forecasting.Features;

/// <summary>
/// The calendar part of the known features of every day from the dataset start to the end of the longest
/// horizon after its last day: day of week, day of year, holiday groups, and calendar.csv event columns.
/// Holidays come from <see cref="HolidayCalendar.Standard"/> plus the dataset's calendar.csv holidays.
/// </summary>
internal sealed class CalendarTable
{
    private readonly float[] _leading;
    private readonly float[] _events;
    private readonly int[]? _lookbacks;

    /// <summary>Tables kept per schema for <see cref="For"/>: the few calendars its recent datasets had.</summary>
    private static readonly ConditionalWeakTable<FeatureSchema, RecentTables> Recent = new();

    /// <summary>
    /// The table of <paramref name="dataset"/>: one built before for a dataset with the same start, days, holidays and
    /// event columns under this schema (a live host lays out every SKU's window as a dataset of its own, and all of them
    /// share the shop's calendar), else a new one. The table is immutable, so sharing it changes no value.
    /// </summary>
    public static CalendarTable For(FeatureSchema schema, Dataset dataset)
    {
        var recent = Recent.GetValue(schema, _ => new RecentTables());
        var key = new CalendarKey(dataset, schema.EventColumns);
        return recent.Find(key) ?? recent.Add(key, new CalendarTable(schema, dataset));
    }

    public CalendarTable(FeatureSchema schema, Dataset dataset)
    {
        Days = dataset.Days + schema.Horizon;
        LeadingWidth = 4 + (3 * schema.HolidayGroups.Count);
        EventWidth = schema.EventColumns.Count;
        _leading = new float[Days * LeadingWidth];
        _events = new float[Days * EventWidth];

        var calendar = HolidayCalendar.Standard;
        var listed = new HashSet<string>(StringComparer.Ordinal);
        if (dataset.Calendar is { } datasetCalendar)
        {
            var dated = new List<HolidayOccurrence>();
            for (var d = 0; d < Math.Min(datasetCalendar.Holiday.Length, dataset.Days); d++)
            {
                if (!string.IsNullOrWhiteSpace(datasetCalendar.Holiday[d]))
                {
                    dated.Add(new HolidayOccurrence(dataset.DateOf(d), datasetCalendar.Holiday[d]!.Trim()));
                }
            }

            calendar = calendar.WithDates(dated);
            listed.UnionWith(dated.Select(o => o.Name));
        }

        var standard = FeatureSchema.StandardHolidayGroups.Where(g => g != FeatureSchema.OtherHolidays).ToHashSet(StringComparer.Ordinal);
        var groupNames = schema.HolidayGroups
            .Select(g => g == FeatureSchema.OtherHolidays
                ? calendar.Names.Where(n => !standard.Contains(n)).ToArray()
                : new[] { g })
            .ToArray();

        if (schema.SeasonalAlignment == SeasonalAlignment.Holidays)
        {
            _lookbacks = HolidayLookbacks(calendar, listed, dataset.Start, Days);
        }

        var cap = schema.HolidayHorizonDays;
        for (var d = 0; d < Days; d++)
        {
            var date = dataset.DateOf(d);
            var row = _leading.AsSpan(d * LeadingWidth, LeadingWidth);
            var dow = (int)date.DayOfWeek;
            row[0] = (float)Math.Sin(2 * Math.PI * dow / 7);
            row[1] = (float)Math.Cos(2 * Math.PI * dow / 7);
            var yearPhase = (date.DayOfYear - 1) / 365.25;
            row[2] = (float)Math.Sin(2 * Math.PI * yearPhase);
            row[3] = (float)Math.Cos(2 * Math.PI * yearPhase);
            for (var g = 0; g < groupNames.Length; g++)
            {
                var names = groupNames[g];
                int? next = null, previous = null;
                if (names.Length > 0)
                {
                    next = calendar.DaysToNext(date, cap, names);
                    previous = calendar.DaysSincePrevious(date, cap, names);
                }

                row[4 + (3 * g)] = next == 0 ? 1f : 0f;
                row[5 + (3 * g)] = (float)Math.Min(next ?? cap, cap) / cap;
                row[6 + (3 * g)] = (float)Math.Min(previous ?? cap, cap) / cap;
            }
        }

        for (var e = 0; e < EventWidth; e++)
        {
            var name = schema.EventColumns[e];
            if (dataset.Calendar?.Events.TryGetValue(name, out var values) != true || values is null)
            {
                throw new ArgumentException(
                    $"The model was trained with calendar event column '{name}', which this dataset's calendar.csv lacks.", nameof(dataset));
            }

            for (var d = 0; d < Math.Min(values.Length, dataset.Days); d++)
            {
                _events[(d * EventWidth) + e] = double.IsFinite(values[d]) ? (float)values[d] : 0f;
            }
        }
    }

    /// <summary>Days covered: dataset days plus the schema's horizon.</summary>
    public int Days { get; }

    /// <summary>Calendar floats at the start of a known row (day of week/year, holiday groups).</summary>
    public int LeadingWidth { get; }

    /// <summary>Event floats at the end of a known row.</summary>
    public int EventWidth { get; }

    public ReadOnlySpan<float> Leading(int day) => _leading.AsSpan(Check(day) * LeadingWidth, LeadingWidth);

    public ReadOnlySpan<float> Events(int day) => _events.AsSpan(Check(day) * EventWidth, EventWidth);

    /// <summary>
    /// Days from <paramref name="day"/> back to "the same time" <paramref name="years"/> (1..<see cref="FeatureSchema.SeasonalYears"/>)
    /// years earlier, where the seasonal index centres its window: <see cref="FeatureSchema.SeasonalLag"/> x years, or
    /// with <see cref="SeasonalAlignment.Holidays"/> the distance between a moving holiday's occurrences.
    /// </summary>
    public int SeasonalLookback(int day, int years) =>
        _lookbacks is null
            ? FeatureSchema.SeasonalLag * years
            : _lookbacks[(Check(day) * FeatureSchema.SeasonalYears) + years - 1];

    /// <summary>
    /// For each day and k = 1..<see cref="FeatureSchema.SeasonalYears"/>: 364k, except near an annual holiday that moves
    /// against the 52-week lag. The nearest such occurrence o within <see cref="FeatureSchema.HolidayAlignmentReach"/>
    /// days (before or after) whose occurrence p about 364k days earlier is more than k + 1 days off o - 364k (a fixed
    /// date drifts 1.25 days a year against 52 weeks) and at most <see cref="FeatureSchema.MaxHolidayShift"/> gives o - p:
    /// the day as far from p as it is from o. Only holidays the dataset's calendar.csv names count (a dataset says which
    /// holidays its demand observes; the standard ones it does not list, such as Spring Festival in Washington's bike
    /// rides, leave its index as it was), and only annual ones: occurrences at least 300 days apart.
    /// </summary>
    private static int[] HolidayLookbacks(HolidayCalendar calendar, IReadOnlySet<string> listed, DateOnly start, int days)
    {
        const int years = FeatureSchema.SeasonalYears;
        const int reach = FeatureSchema.HolidayAlignmentReach;
        const int shiftLimit = FeatureSchema.MaxHolidayShift;
        var from = start.AddDays(-((years * FeatureSchema.SeasonalLag) + shiftLimit + reach));
        var to = start.AddDays(days + reach);
        var annual = calendar.Occurrences(from, to)
            .Where(o => listed.Contains(o.Name))
            .GroupBy(o => o.Name, StringComparer.Ordinal)
            .Select(g => g.Select(o => o.Date.DayNumber - start.DayNumber).Distinct().Order().ToArray())
            .Where(dates => dates.Zip(dates.Skip(1)).All(pair => pair.Second - pair.First >= 300))
            .ToArray();
        var lookbacks = new int[days * years];
        for (var d = 0; d < days; d++)
        {
            for (var k = 1; k <= years; k++)
            {
                var lag = FeatureSchema.SeasonalLag * k;
                var lookback = lag;
                var nearest = int.MaxValue;
                foreach (var dates in annual)
                {
                    var o = Nearest(dates, d);
                    if (o is not { } occurrence || Math.Abs(d - occurrence) > reach || Math.Abs(d - occurrence) >= nearest)
                    {
                        continue;
                    }

                    if (Nearest(dates, occurrence - lag) is { } earlier
                        && Math.Abs(occurrence - earlier - lag) is var shift
                        && shift > k + 1
                        && shift <= shiftLimit)
                    {
                        lookback = occurrence - earlier;
                        nearest = Math.Abs(d - occurrence);
                    }
                }

                lookbacks[(d * years) + k - 1] = lookback;
            }
        }

        return lookbacks;
    }

    /// <summary>The element of the ascending <paramref name="dates"/> nearest <paramref name="day"/> (the earlier on a tie); null when empty.</summary>
    private static int? Nearest(int[] dates, int day)
    {
        if (dates.Length == 0)
        {
            return null;
        }

        var i = Array.BinarySearch(dates, day);
        if (i >= 0)
        {
            return dates[i];
        }

        i = ~i;
        if (i == 0)
        {
            return dates[0];
        }

        if (i == dates.Length)
        {
            return dates[^1];
        }

        return day - dates[i - 1] <= dates[i] - day ? dates[i - 1] : dates[i];
    }

    /// <summary>What a table is built from besides its schema: the start, the days, each day's holiday and the event columns the schema reads.</summary>
    private sealed class CalendarKey
    {
        private readonly DateOnly _start;
        private readonly int _days;
        private readonly string?[] _holidays;
        private readonly double[][] _events;
        private readonly int _hash;

        public CalendarKey(Dataset dataset, IReadOnlyList<string> eventColumns)
        {
            _start = dataset.Start;
            _days = dataset.Days;
            var calendar = dataset.Calendar;
            _holidays = calendar is null ? [] : calendar.Holiday.AsSpan(0, Math.Min(calendar.Holiday.Length, dataset.Days)).ToArray();
            _events = [.. eventColumns.Select(name => calendar?.Events.TryGetValue(name, out var values) == true && values is not null
                ? values.AsSpan(0, Math.Min(values.Length, dataset.Days)).ToArray()
                : [])];
            var hash = new HashCode();
            hash.Add(_start);
            hash.Add(_days);
            hash.Add(calendar is null);
            foreach (var holiday in _holidays)
            {
                hash.Add(holiday, StringComparer.Ordinal);
            }

            foreach (var values in _events)
            {
                hash.Add(values.Length);
                foreach (var value in values)
                {
                    hash.Add(value);
                }
            }

            _hash = hash.ToHashCode();
        }

        public bool SameAs(CalendarKey other) =>
            _hash == other._hash && _start == other._start && _days == other._days
            && _holidays.AsSpan().SequenceEqual(other._holidays, StringComparer.Ordinal)
            && _events.Length == other._events.Length
            && _events.Zip(other._events).All(pair => pair.First.AsSpan().SequenceEqual(pair.Second));
    }

    /// <summary>The last few tables built through <see cref="For"/> for one schema, newest first.</summary>
    private sealed class RecentTables
    {
        private const int Capacity = 8;
        private readonly Lock _lock = new();
        private readonly List<(CalendarKey Key, CalendarTable Table)> _entries = [];

        public CalendarTable? Find(CalendarKey key)
        {
            lock (_lock)
            {
                var i = _entries.FindIndex(entry => entry.Key.SameAs(key));
                if (i < 0)
                {
                    return null;
                }

                var found = _entries[i];
                _entries.RemoveAt(i);
                _entries.Insert(0, found);
                return found.Table;
            }
        }

        public CalendarTable Add(CalendarKey key, CalendarTable table)
        {
            lock (_lock)
            {
                _entries.Insert(0, (key, table));
                if (_entries.Count > Capacity)
                {
                    _entries.RemoveAt(_entries.Count - 1);
                }
            }

            return table;
        }
    }

    private int Check(int day)
    {
        if ((uint)day >= (uint)Days)
        {
            throw new ArgumentOutOfRangeException(nameof(day), day, $"Calendar features cover days 0..{Days - 1}.");
        }

        return day;
    }
}
