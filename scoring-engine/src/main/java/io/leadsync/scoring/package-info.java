/**
 * Rule-based lead scoring: a {@link io.leadsync.scoring.ScoringModel} read from YAML, applied to a person by a
 * {@link io.leadsync.scoring.RuleScorer}, giving a {@code ScoreResult} with score, grade, stage and reasons.
 *
 * <pre>{@code
 * ScoringModel model = ScoringModel.load(Path.of("config/scoring/default-model.yml"));
 * ScoreResult result = new RuleScorer().score(person, activities, model, clock.instant());
 * }</pre>
 *
 * <h2>Model file</h2>
 * <p>{@code config/scoring/default-model.yml} is a complete example. Unknown keys are errors everywhere; every
 * problem is reported as {@code <file>:<line>: <reason>}.
 * <table>
 *   <caption>Top-level keys</caption>
 *   <tr><td>{@code name}, {@code version}</td><td>required; letters, digits, {@code . _ -}; the id is
 *       {@code name@version}. The version is kept as written ({@code 3}, {@code "2024.06"}).</td></tr>
 *   <tr><td>{@code fit}, {@code engagement}, {@code negative}</td><td>lists of criteria; fit and engagement
 *       criteria have positive points, negative criteria negative ones</td></tr>
 *   <tr><td>{@code grades}</td><td>required; label to lower bound, listed highest first with falling bounds,
 *       the last at 0: {@code {A: 75, B: 50, C: 25, D: 0}}</td></tr>
 *   <tr><td>{@code stages}</td><td>optional; lifecycle stage bands, same rules: {@code {MQL: 60, lead: 0}}</td></tr>
 *   <tr><td>{@code task-threshold}</td><td>optional; 1..100, a score crossing it upward creates a task</td></tr>
 *   <tr><td>{@code reasons.max-length}</td><td>optional; the longest reasons text, default 255</td></tr>
 * </table>
 *
 * <p>A criterion has a {@code name} (unique ignoring case), {@code points}, and either a {@code field} with
 * exactly one operator, or an {@code activity}:
 * <table>
 *   <caption>Criterion keys</caption>
 *   <tr><td>{@code field}</td><td>{@code email}, {@code first-name}, {@code last-name}, {@code title},
 *       {@code company}, {@code domain}, {@code country}, {@code phone}, {@code owner-id}, or an attribute name
 *       ({@code industry}, {@code numberofemployees}; exact, else ignoring case)</td></tr>
 *   <tr><td>{@code equals: text}</td><td>equal ignoring case</td></tr>
 *   <tr><td>{@code in: [a, b]}</td><td>equal to one, ignoring case</td></tr>
 *   <tr><td>{@code contains-any: [vp, head of]}</td><td>contains one as whole words, ignoring case and
 *       punctuation</td></tr>
 *   <tr><td>{@code at-least: n}, {@code at-most: n}</td><td>numeric; a value that is no number never matches</td></tr>
 *   <tr><td>{@code below: n}, or {@code at-least: a, below: b}</td><td>numeric, smaller than n; the pair is a band
 *       from a up to but not including b</td></tr>
 *   <tr><td>{@code present: true|false}</td><td>has (or lacks) a non-blank value</td></tr>
 *   <tr><td>{@code business-email: true|false}</td><td>on a field with "email" in its name: an address at a
 *       company domain (or at a free-mail or academic one)</td></tr>
 *   <tr><td>{@code matches: regex}</td><td>a Java regex found in the value, ignoring case</td></tr>
 *   <tr><td>{@code activity: type | [types]}</td><td>snake_case activity types; {@code points} per occurrence</td></tr>
 *   <tr><td>{@code max: n}</td><td>cap on the criterion's total (negative for negative criteria)</td></tr>
 *   <tr><td>{@code within-days: n}</td><td>only activities in the last n days</td></tr>
 *   <tr><td>{@code half-life-days: n}</td><td>each occurrence counts {@code points × 0.5^(age / n)}</td></tr>
 *   <tr><td>{@code where: {property: value}}</td><td>only activities whose properties equal these, ignoring
 *       case</td></tr>
 *   <tr><td>{@code when: [{field: f, in: [...]}]}</td><td>on any criterion: conditions on other fields that must
 *       all hold too (a segment rule)</td></tr>
 * </table>
 *
 * <p>Scoring: the contributions of the criteria that fire are summed (after decay and caps), clamped to 0..100 and
 * rounded half up; the grade and stage are the highest bands the score reaches. Activities after the scoring instant
 * are ignored. {@link io.leadsync.scoring.ScoringModel#load} and {@link io.leadsync.scoring.ScoringModel#parse}
 * have no side effects, so a caller keeps its working model when a new file fails validation.
 */
package io.leadsync.scoring;
