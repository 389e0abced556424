using TrackRec.Streaming.Feedback;
using TrackRec.Streaming.Processing;
using Xunit;

namespace TrackRec.Streaming.Tests.Processing;

public sealed class PipelineOptionsTests
{
    [Fact]
    public void A_copy_carries_every_section_and_leaves_the_original_when_one_is_replaced()
    {
        var original = new PipelineOptions();
        var copy = original.Copy();

        // Every settable section, including one added after this test was written, is the same object in the copy.
        foreach (var property in typeof(PipelineOptions).GetProperties().Where(p => p.CanWrite))
            Assert.Same(property.GetValue(original), property.GetValue(copy));

        copy.Feedback = original.Feedback.Copy();
        copy.Feedback.MinLabels = original.Feedback.MinLabels + 5;

        Assert.Equal(new FeedbackOptions().MinLabels, original.Feedback.MinLabels);
        Assert.Equal(original.Feedback.Enabled, copy.Feedback.Enabled);
        Assert.Same(original.Chains, copy.Chains);
    }

    [Fact]
    public void A_feedback_copy_carries_every_setting()
    {
        var original = new FeedbackOptions { Enabled = false, MinLabels = 9 };
        var copy = original.Copy();

        foreach (var property in typeof(FeedbackOptions).GetProperties().Where(p => p.CanWrite))
            Assert.Equal(property.GetValue(original), property.GetValue(copy));
        Assert.NotSame(original, copy);
    }
}
