using System.Globalization;
using SeasonalGrains.Domain.Statistics;

namespace SeasonalGrains.Grains.Live;

/// <summary>
/// The rules a live SKU's master data must follow, and what may change once the SKU runs. Field names
/// are those of the HTTP API (camelCase; <c>costs.x</c> and <c>policy.x</c> nested).
/// </summary>
public static class LiveDefinitionRules
{
    /// <summary>Every problem of the definition on its own (ranges, the policy and its parameters).</summary>
    public static List<FieldError> Validate(LiveSkuDefinition definition, PolicyCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(catalog);
        var errors = new List<FieldError>();
        if (LiveOrderIds.CheckSku(definition.Sku) is { } skuError)
        {
            errors.Add(new("sku", skuError));
        }

        var t = definition.Terms;
        if (t.LeadTimeDays is < 0 or > 365)
        {
            errors.Add(new("leadTimeDays", "must be a whole number of days 0-365."));
        }

        Check(errors, "initialOnHand", t.InitialOnHand, DomainLimits.UnitsProblem);
        Check(errors, "moq", t.Moq, DomainLimits.UnitsProblem);
        Check(errors, "casePack", t.CasePack, DomainLimits.UnitsProblem);
        Check(errors, "unitCost", t.UnitCost, DomainLimits.MoneyProblem);
        Check(errors, "unitPrice", t.UnitPrice, DomainLimits.MoneyProblem);
        Check(errors, "salvageValue", t.SalvageValue, DomainLimits.MoneyProblem);
        var c = definition.Costs;
        Check(errors, "costs.holdingPerUnitDay", c.HoldingPerUnitDay, DomainLimits.MoneyProblem);
        Check(errors, "costs.shortagePerUnit", c.ShortagePerUnit, DomainLimits.MoneyProblem);
        Check(errors, "costs.fixedPerOrder", c.FixedPerOrder, DomainLimits.MoneyProblem);
        Check(errors, "costs.purchasePerUnit", c.PurchasePerUnit, DomainLimits.MoneyProblem);
        if (!Enum.IsDefined(definition.Fulfilment))
        {
            errors.Add(new("fulfilment", "must be 'backorders' or 'lostSales'."));
        }

        if (definition.ReviewPeriodDays is < 1 or > 365)
        {
            errors.Add(new("reviewPeriodDays", "must be a whole number of days 1-365."));
        }

        if (definition.Category.Length > 200)
        {
            errors.Add(new("category", "has at most 200 characters."));
        }

        if (definition.Region.Length > 200)
        {
            errors.Add(new("region", "has at most 200 characters."));
        }

        if (definition.History is { } history)
        {
            if (history.Length > LiveSkuOptions.MaxHistoryDays)
            {
                errors.Add(new("history", $"holds at most {LiveSkuOptions.MaxHistoryDays} days (got {history.Length})."));
            }

            for (var i = 0; i < history.Length; i++)
            {
                Check(errors, $"history[{i}]", history[i], DomainLimits.UnitsProblem);
            }
        }

        ValidatePolicy(definition, catalog, errors);
        return errors;
    }

    /// <summary>
    /// The changes of <paramref name="next"/> that conflict with the running SKU (as the interface of
    /// <see cref="ILiveSkuGrain.Define"/> lists them); empty when the change may be applied.
    /// </summary>
    public static List<FieldError> Conflicts(LiveSkuDefinition current, LiveSkuDefinition next, double onOrder, double backorders)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(next);
        var errors = new List<FieldError>();
        if (next.Terms.LeadTimeDays != current.Terms.LeadTimeDays && onOrder > 0)
        {
            errors.Add(new("leadTimeDays", $"cannot change from {current.Terms.LeadTimeDays} to {next.Terms.LeadTimeDays} days while {Format(onOrder)} units are on order; change it once they have arrived."));
        }

        if (next.Fulfilment != current.Fulfilment && backorders > 0)
        {
            errors.Add(new("fulfilment", $"cannot change while {Format(backorders)} units are backordered."));
        }

        if (!next.InitialOnHandOmitted && next.Terms.InitialOnHand != current.Terms.InitialOnHand)
        {
            errors.Add(new("initialOnHand", $"only applies when the SKU is created (it was {Format(current.Terms.InitialOnHand)}); post a receipt to add stock."));
        }

        if (next.StartDate is { } start && start != current.StartDate)
        {
            errors.Add(new("startDate", $"is fixed once the SKU exists (it is {current.StartDate:yyyy-MM-dd})."));
        }

        if (next.History is { } history && !history.AsSpan().SequenceEqual(current.History ?? []))
        {
            errors.Add(new("history", "only applies when the SKU is created; leave it out to keep it."));
        }

        return errors;
    }

    /// <summary>
    /// The definition with what may be left out (initial on hand, start date, history) taken from the
    /// current one, or, when the SKU is created (<paramref name="current"/> null), at its default: 0 on
    /// hand, no history (the start date is the caller's: today).
    /// </summary>
    public static LiveSkuDefinition Complete(LiveSkuDefinition next, LiveSkuDefinition? current)
    {
        ArgumentNullException.ThrowIfNull(next);
        return next with
        {
            Terms = next.InitialOnHandOmitted ? next.Terms with { InitialOnHand = current?.Terms.InitialOnHand ?? 0 } : next.Terms,
            InitialOnHandOmitted = false,
            StartDate = next.StartDate ?? current?.StartDate,
            History = next.History ?? current?.History ?? (current is null ? [] : null),
        };
    }

    /// <summary>Whether two complete definitions say the same (policy parameters in any order).</summary>
    public static bool Same(LiveSkuDefinition a, LiveSkuDefinition b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Sku == b.Sku && a.Category == b.Category && a.Region == b.Region
            && a.Terms == b.Terms && a.Costs == b.Costs && a.Fulfilment == b.Fulfilment
            && a.ReviewPeriodDays == b.ReviewPeriodDays && a.StartDate == b.StartDate
            && (a.History ?? []).AsSpan().SequenceEqual(b.History ?? [])
            && a.Policy.Name == b.Policy.Name && a.Policy.TargetServiceLevel == b.Policy.TargetServiceLevel
            && a.Policy.Parameters.OrderBy(p => p.Name, StringComparer.Ordinal).SequenceEqual(b.Policy.Parameters.OrderBy(p => p.Name, StringComparer.Ordinal));
    }

    /// <summary>The inputs the policy catalog resolves the SKU's policy from, with demand statistics of <paramref name="recentSales"/>.</summary>
    public static PolicyInputs ToPolicyInputs(LiveSkuDefinition definition, ReadOnlySpan<double> recentSales)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return WireMapping.ToPolicyInputs(
            definition.Terms, definition.Costs, definition.Fulfilment, definition.ReviewPeriodDays, definition.Policy.Parameters,
            definition.Policy.TargetServiceLevel, DemandStatistics.FromHistory(recentSales));
    }

    private static void ValidatePolicy(LiveSkuDefinition definition, PolicyCatalog catalog, List<FieldError> errors)
    {
        var policy = definition.Policy;
        if (string.IsNullOrWhiteSpace(policy.Name))
        {
            errors.Add(new("policy.name", "is required."));
            return;
        }

        if (!catalog.Contains(policy.Name))
        {
            errors.Add(new("policy.name", $"'{policy.Name}' is not a policy; known policies: {string.Join(", ", catalog.Names)}."));
            return;
        }

        if (!(policy.TargetServiceLevel > 0 && policy.TargetServiceLevel < 1))
        {
            errors.Add(new("policy.targetServiceLevel", "must lie strictly between 0 and 1."));
            return;
        }

        foreach (var p in policy.Parameters)
        {
            Check(errors, $"policy.parameters.{p.Name}", p.Value, DomainLimits.ParameterProblem);
        }

        if (errors.Count > 0)
        {
            return;
        }

        try
        {
            // the policy as the first day close would build it, so a bad parameter is refused now
            catalog.Create(policy.Name, ToPolicyInputs(definition, definition.History ?? []));
        }
        catch (ArgumentException e)
        {
            errors.Add(new("policy.parameters", e.Message));
        }
    }

    private static void Check(List<FieldError> errors, string field, double value, Func<double, string?> problem)
    {
        if (problem(value) is { } reason)
        {
            errors.Add(new(field, reason + "."));
        }
    }

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
