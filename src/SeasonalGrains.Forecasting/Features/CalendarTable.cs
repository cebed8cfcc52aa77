using SeasonalGrains.Data.Model;
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

    public CalendarTable(FeatureSchema schema, Dataset dataset)
    {
        Days = dataset.Days + schema.Horizon;
        LeadingWidth = 4 + (3 * schema.HolidayGroups.Count);
        EventWidth = schema.EventColumns.Count;
        _leading = new float[Days * LeadingWidth];
        _events = new float[Days * EventWidth];

        var calendar = HolidayCalendar.Standard;
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
        }

        var standard = FeatureSchema.StandardHolidayGroups.Where(g => g != FeatureSchema.OtherHolidays).ToHashSet(StringComparer.Ordinal);
        var groupNames = schema.HolidayGroups
            .Select(g => g == FeatureSchema.OtherHolidays
                ? calendar.Names.Where(n => !standard.Contains(n)).ToArray()
                : new[] { g })
            .ToArray();

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

    private int Check(int day)
    {
        if ((uint)day >= (uint)Days)
        {
            throw new ArgumentOutOfRangeException(nameof(day), day, $"Calendar features cover days 0..{Days - 1}.");
        }

        return day;
    }
}
