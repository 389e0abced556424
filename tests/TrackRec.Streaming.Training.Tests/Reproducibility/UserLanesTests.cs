using TrackRec.Streaming.Training.Reproducibility;

namespace TrackRec.Streaming.Tests.Reproducibility;

/// <summary>Per-user work spread over lanes: a user's records stay together and in order, and the split never varies.</summary>
public sealed class UserLanesTests
{
    [Fact]
    public void Each_users_records_share_one_lane_in_their_own_order_and_every_record_is_kept_once()
    {
        var records = Enumerable.Range(0, 500).Select(i => (User: $"user-{i % 37}", Position: i)).ToList();

        var lanes = UserLanes.Split(records, r => r.User, 16);

        Assert.Equal(records.Count, lanes.Sum(l => l.Count));
        Assert.Equal(Enumerable.Range(0, records.Count), lanes.SelectMany(l => l.Select(x => x.Index)).Order());
        foreach (var user in records.Select(r => r.User).Distinct())
        {
            var holding = lanes.Where(l => l.Any(x => x.Item.User == user)).ToList();
            var lane = Assert.Single(holding);
            var positions = lane.Where(x => x.Item.User == user).Select(x => x.Item.Position).ToList();
            Assert.Equal(positions.Order(), positions);
        }
        Assert.All(lanes, l => Assert.All(l, x => Assert.Equal(records[x.Index], x.Item)));
    }

    [Fact]
    public void A_users_lane_depends_on_its_id_alone()
    {
        // Fixed values: the hash must not be string.GetHashCode, which changes from process to process.
        Assert.Equal(UserLanes.Of("user-7", 16), UserLanes.Of(new string("user-7".ToCharArray()), 16));
        Assert.Equal(2, UserLanes.Of("ab", 4)); // ((17 * 31 + 97) * 31 + 98) % 4
        Assert.InRange(UserLanes.Of("any user", 5), 0, 4);
        Assert.Throws<ArgumentOutOfRangeException>(() => UserLanes.Of("u", 0));
    }
}
