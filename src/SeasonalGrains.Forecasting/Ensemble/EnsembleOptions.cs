using SeasonalGrains.Forecasting.Lstm;

namespace SeasonalGrains.Forecasting.Ensemble;

/// <summary>Settings of an <see cref="EnsembleForecaster"/>.</summary>
public sealed record EnsembleOptions
{
    /// <summary>Days before the origin the members are scored on (in windows of the request's horizon).</summary>
    public const int DefaultValidationDays = 112;

    /// <summary>The default margin by which a SKU's own best member must beat the pooled best to be chosen instead.</summary>
    public const double DefaultMargin = 0.1;

    /// <summary>Fewest days of history before a validation origin (so ETS fits its weekly Holt-Winters model there).</summary>
    public const int DefaultMinHistoryDays = 28;

    /// <summary>The default shortest step between validation windows.</summary>
    public const int DefaultStrideDays = 28;

    /// <summary>
    /// Days the validation windows span: ceil(ValidationDays / S) windows of the request's horizon H, S = max(H,
    /// <see cref="StrideDays"/>) days apart, on the grid of multiples of S counted from the dataset's first day, the
    /// latest ending before the origin.
    /// </summary>
    public int ValidationDays { get; init; } = DefaultValidationDays;

    /// <summary>
    /// The shortest step between validation windows: a short horizon (a replay's protection interval) is scored on
    /// as few windows as a long one, so the members fit there no more often than every StrideDays days.
    /// </summary>
    public int StrideDays { get; init; } = DefaultStrideDays;

    /// <summary>
    /// A SKU leaves the pooled best member only for a member whose validation pinball loss is below
    /// (1 - Margin) x the pooled best's on that SKU: the guard against choosing by noise on little data.
    /// </summary>
    public double Margin { get; init; } = DefaultMargin;

    /// <summary>Validation origins with fewer days of history before them are not used.</summary>
    public int MinHistoryDays { get; init; } = DefaultMinHistoryDays;

    /// <summary>The default number of members blended: the first three (lstm, ets and croston in the registered ensemble).</summary>
    public const int DefaultBlendMembers = 3;

    /// <summary>
    /// The first BlendMembers members compared at an origin are also tried blended: each pair with weights 3/4, 1/2
    /// and 1/4, and all of them at equal weights. A blend is a candidate for the pooled choice like a member alone
    /// (a SKU leaves the pool only for a member alone). 0 or 1: no blends.
    /// </summary>
    public int BlendMembers { get; init; } = DefaultBlendMembers;

    public void Validate()
    {
        if (ValidationDays < 1)
        {
            throw new ArgumentException($"Ensemble options: ValidationDays must be at least 1 (got {ValidationDays}).");
        }

        if (StrideDays < 1)
        {
            throw new ArgumentException($"Ensemble options: StrideDays must be at least 1 (got {StrideDays}).");
        }

        if (!(Margin >= 0 && Margin < 1))
        {
            throw new ArgumentException($"Ensemble options: Margin must lie in [0, 1) (got {Margin}).");
        }

        if (BlendMembers < 0)
        {
            throw new ArgumentException($"Ensemble options: BlendMembers must be at least 0 (got {BlendMembers}).");
        }

        if (MinHistoryDays < 1)
        {
            throw new ArgumentException($"Ensemble options: MinHistoryDays must be at least 1 (got {MinHistoryDays}).");
        }
    }
}

/// <summary>One member of an ensemble.</summary>
/// <param name="Forecaster">The member; its name names it in the choices.</param>
/// <param name="FittedBefore">
/// For a member fitted once on a range of days (the LSTM): the first date it was not fitted on; it is scored only at
/// validation origins on or after that date. Null for members fitted at each origin on the history before it.
/// </param>
public sealed record EnsembleMember(IForecaster Forecaster, DateOnly? FittedBefore = null)
{
    /// <summary>
    /// The LSTM as a member: fitted before the first day of its held-out validation range (or before its training
    /// end, when only some SKUs held that range out).
    /// </summary>
    public static EnsembleMember ForModel(LstmForecaster lstm)
    {
        ArgumentNullException.ThrowIfNull(lstm);
        var m = lstm.Model.Metadata;
        var firstUnfitted = m.Hyperparameters.ValidationSkuFraction >= 1 ? m.ValidationStartDay : m.TrainEndDay;
        return new EnsembleMember(lstm, m.DatasetStart.AddDays(firstUnfitted));
    }
}

/// <summary>What the ensemble chose for one SKU at one origin.</summary>
/// <param name="Member">The name of the member whose forecast the SKU got, or of the blend (e.g. "0.75 lstm + 0.25 ets").</param>
/// <param name="Losses">Per member, in member order: its mean pinball loss over the validation windows, NaN where it was not compared.</param>
/// <param name="Windows">Validation windows scored (0: none before this origin; the first classical member was taken).</param>
public sealed record EnsembleChoice(int SkuIndex, int Origin, string Member, IReadOnlyList<double> Losses, int Windows)
{
    /// <summary>The chosen member's or blend's mean pinball loss over the validation windows (NaN without windows).</summary>
    public double Loss { get; init; } = double.NaN;
}
