using SeasonalGrains.Domain.Calendar;

namespace SeasonalGrains.Data.Model;

/// <summary>Brings a dataset's calendar.csv holidays into a <see cref="HolidayCalendar"/>.</summary>
public static class DatasetHolidays
{
    /// <summary>The separator of several holiday names on one day in calendar.csv (e.g. "Easter|OrthodoxEaster").</summary>
    public const char NameSeparator = '|';

    /// <summary>
    /// <paramref name="calendar"/> plus the holidays of <paramref name="dataset"/>'s calendar.csv, e.g.
    /// <c>HolidayCalendar.Standard.WithDatasetHolidays(dataset)</c> or <c>HolidayCalendar.Empty.WithDatasetHolidays(dataset)</c>.
    /// </summary>
    public static HolidayCalendar WithDatasetHolidays(this HolidayCalendar calendar, Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(dataset);
        return dataset.Calendar is null ? calendar : calendar.WithDates(Occurrences(dataset));
    }

    /// <summary>The holidays of a dataset's calendar.csv, one per name and date.</summary>
    public static IEnumerable<HolidayOccurrence> Occurrences(Dataset dataset)
    {
        var holidays = dataset.Calendar?.Holiday ?? [];
        for (var d = 0; d < holidays.Length; d++)
        {
            if (holidays[d] is not { } names)
            {
                continue;
            }

            foreach (var name in names.Split(NameSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                yield return new HolidayOccurrence(dataset.DateOf(d), name);
            }
        }
    }
}
