package io.leadsync.scoring;

/**
 * One rule of a {@link ScoringModel}: when it fires it adds its points (or subtracts them, in {@link Category#NEGATIVE}).
 *
 * <p>A criterion either tests one field of the person ({@link FieldCriterion}) or counts the person's activities
 * ({@link ActivityCriterion}). Criteria are immutable values; {@link RuleScorer} evaluates them.
 */
public sealed interface Criterion permits FieldCriterion, ActivityCriterion {

    /** The name as written in the model; unique within a model (ignoring case) and shown in score reasons. */
    String name();

    /** The section the criterion is written in; fixes the sign of its points. */
    Category category();

    /** Points when it fires: for a field criterion once, for an activity criterion per occurrence. */
    double points();

    /**
     * The furthest this criterion can move a score: its points for a field criterion, its {@code max} for a capped
     * activity criterion, and a signed infinity for an uncapped one. Used to check that grades are reachable.
     */
    double bound();

    /**
     * Conditions on the person's fields that must all hold for the criterion to fire, besides its own test; empty
     * for none. A learned model writes its interactions so: a band of one column that counts only within a group
     * of another.
     */
    java.util.List<SegmentCondition> when();
}
