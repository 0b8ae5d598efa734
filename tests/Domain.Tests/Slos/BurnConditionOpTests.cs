using Sre.Domain.Slos;

namespace Sre.Domain.Tests.Slos;

/// <summary>How a burn-rate condition compares the burn rate with its factor (OpenSLO <c>condition.op</c>), exactly at the boundary.</summary>
public class BurnConditionOpTests
{
    // 10 bad of 1,000 against 99.9%: a burn rate of exactly 10 over both windows.
    private static readonly Tally Burning10 = new(990, 1000);

    [Theory]
    [InlineData(null, 10, false)]
    [InlineData(ThresholdOp.Gt, 10, false)]
    [InlineData(ThresholdOp.Gte, 10, true)]
    [InlineData(ThresholdOp.Lt, 10, false)]
    [InlineData(ThresholdOp.Lte, 10, true)]
    [InlineData(null, 9.99, true)]
    [InlineData(ThresholdOp.Lt, 14.4, true)]
    [InlineData(ThresholdOp.Gte, 14.4, false)]
    public void a_condition_fires_as_its_op_compares_the_burn_rate_with_the_factor(ThresholdOp? op, double factor, bool fires)
    {
        var condition = new BurnCondition("page", TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), factor, op);

        Assert.Equal(fires, SloCalculator.Fires(SloGiven.Availability(0.999), condition, Burning10, Burning10));
    }

    [Theory]
    [InlineData(ThresholdOp.Lt)]
    [InlineData(ThresholdOp.Lte)]
    public void burning_slower_than_the_factor_never_fires_without_data(ThresholdOp op)
    {
        var condition = new BurnCondition("ticket", TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), 1, op);

        Assert.False(SloCalculator.Fires(SloGiven.Availability(0.999), condition, Burning10, Tally.Empty));
    }
}
