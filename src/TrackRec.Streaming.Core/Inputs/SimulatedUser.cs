namespace TrackRec.Streaming.Inputs;

/// <summary>
/// The latent taste the simulator gave a user: the ground truth a recommender should discover, exposed
/// so tests and demos can check that behaviour (and later the chains) reflect it.
/// </summary>
/// <param name="UserId">Id used on the user's events.</param>
/// <param name="LikedCategories">Two categories the user reliably clicks.</param>
/// <param name="DislikedCategory">A category the user rarely clicks and comments on negatively.</param>
/// <param name="Preferences">Share of interest per category (sums to 1; zero for the disliked one).</param>
public sealed record SimulatedUser(
    string UserId,
    IReadOnlyList<string> LikedCategories,
    string DislikedCategory,
    IReadOnlyDictionary<string, double> Preferences);
