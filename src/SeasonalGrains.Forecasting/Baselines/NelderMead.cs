namespace SeasonalGrains.Forecasting.Baselines;

/// <summary>Nelder-Mead simplex minimisation inside a box (vertices are projected into the box).</summary>
internal static class NelderMead
{
    public static (double[] Point, double Value) Minimize(
        Func<double[], double> objective,
        double[] start,
        double[] step,
        double[] lower,
        double[] upper,
        int maxEvaluations,
        double tolerance = 1e-10)
    {
        var dim = start.Length;
        var vertices = new double[dim + 1][];
        var values = new double[dim + 1];
        var evaluations = 0;

        double Evaluate(double[] x)
        {
            evaluations++;
            var value = objective(x);
            return double.IsFinite(value) ? value : double.MaxValue;
        }

        double[] Project(double[] x)
        {
            for (var i = 0; i < dim; i++)
            {
                x[i] = Math.Clamp(x[i], lower[i], upper[i]);
            }

            return x;
        }

        vertices[0] = Project((double[])start.Clone());
        values[0] = Evaluate(vertices[0]);
        for (var i = 0; i < dim; i++)
        {
            var vertex = (double[])vertices[0].Clone();
            vertex[i] += (vertex[i] + step[i] <= upper[i]) ? step[i] : -step[i];
            vertices[i + 1] = Project(vertex);
            values[i + 1] = Evaluate(vertices[i + 1]);
        }

        var order = new int[dim + 1];
        while (evaluations < maxEvaluations)
        {
            for (var i = 0; i <= dim; i++)
            {
                order[i] = i;
            }

            Array.Sort(order, (a, b) => values[a].CompareTo(values[b]));
            var best = order[0];
            var worst = order[dim];
            var secondWorst = order[dim - 1];
            if (Math.Abs(values[worst] - values[best]) <= tolerance * (1 + Math.Abs(values[best])))
            {
                break;
            }

            var centroid = new double[dim];
            for (var v = 0; v <= dim; v++)
            {
                if (v == worst)
                {
                    continue;
                }

                for (var i = 0; i < dim; i++)
                {
                    centroid[i] += vertices[v][i] / dim;
                }
            }

            double[] Toward(double coefficient)
            {
                var x = new double[dim];
                for (var i = 0; i < dim; i++)
                {
                    x[i] = centroid[i] + (coefficient * (vertices[worst][i] - centroid[i]));
                }

                return Project(x);
            }

            var reflected = Toward(-1);
            var reflectedValue = Evaluate(reflected);
            if (reflectedValue < values[best])
            {
                var expanded = Toward(-2);
                var expandedValue = Evaluate(expanded);
                (vertices[worst], values[worst]) = expandedValue < reflectedValue
                    ? (expanded, expandedValue)
                    : (reflected, reflectedValue);
                continue;
            }

            if (reflectedValue < values[secondWorst])
            {
                (vertices[worst], values[worst]) = (reflected, reflectedValue);
                continue;
            }

            var contracted = reflectedValue < values[worst] ? Toward(-0.5) : Toward(0.5);
            var contractedValue = Evaluate(contracted);
            if (contractedValue < Math.Min(values[worst], reflectedValue))
            {
                (vertices[worst], values[worst]) = (contracted, contractedValue);
                continue;
            }

            for (var v = 0; v <= dim; v++)
            {
                if (v == best)
                {
                    continue;
                }

                for (var i = 0; i < dim; i++)
                {
                    vertices[v][i] = vertices[best][i] + (0.5 * (vertices[v][i] - vertices[best][i]));
                }

                values[v] = Evaluate(vertices[v]);
            }
        }

        var argmin = 0;
        for (var v = 1; v <= dim; v++)
        {
            if (values[v] < values[argmin])
            {
                argmin = v;
            }
        }

        return (vertices[argmin], values[argmin]);
    }
}
