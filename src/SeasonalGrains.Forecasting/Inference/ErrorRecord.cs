namespace SeasonalGrains.Forecasting.Inference;

/// <summary>
/// A track's recent forecast errors, oldest first, with the origin of the forecast each came from: a ring of two
/// small arrays, since every forecast adds one or a few and drops as many from the front, and a replay over
/// thousands of SKUs finds it cold in the cache each time (a list of pairs took twice the cache lines).
/// </summary>
internal sealed class ErrorRecord
{
    private double[] _values = new double[32];
    private int[] _origins = new int[32];
    private int _head;

    public int Count { get; private set; }

    public void Clear()
    {
        _head = 0;
        Count = 0;
    }

    /// <summary>Adds an error; origins must not decrease.</summary>
    public void Add(int origin, double error)
    {
        if (Count == _values.Length)
        {
            Grow();
        }

        var at = (_head + Count) & (_values.Length - 1);
        _values[at] = error;
        _origins[at] = origin;
        Count++;
    }

    /// <summary>Drops the errors of origins before <paramref name="oldest"/>.</summary>
    public void DropBefore(int oldest)
    {
        while (Count > 0 && _origins[_head] < oldest)
        {
            _head = (_head + 1) & (_values.Length - 1);
            Count--;
        }
    }

    /// <summary>The sample standard deviation (n - 1) of the errors, summed oldest first; needs two or more.</summary>
    public double StandardDeviation()
    {
        if (Count < 2)
        {
            throw new InvalidOperationException($"A standard deviation needs two errors or more, the record holds {Count}.");
        }

        var mask = _values.Length - 1;
        double sum = 0;
        for (var k = 0; k < Count; k++)
        {
            sum += _values[(_head + k) & mask];
        }

        var average = sum / Count;
        double squares = 0;
        for (var k = 0; k < Count; k++)
        {
            var e = _values[(_head + k) & mask] - average;
            squares += e * e;
        }

        return Math.Sqrt(squares / (Count - 1));
    }

    private void Grow()
    {
        var values = new double[_values.Length * 2];
        var origins = new int[_values.Length * 2];
        for (var k = 0; k < Count; k++)
        {
            values[k] = _values[(_head + k) & (_values.Length - 1)];
            origins[k] = _origins[(_head + k) & (_values.Length - 1)];
        }

        _values = values;
        _origins = origins;
        _head = 0;
    }
}
