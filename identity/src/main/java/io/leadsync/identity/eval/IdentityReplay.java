package io.leadsync.identity.eval;

import io.leadsync.connector.Person;
import io.leadsync.identity.IdentityReview;
import io.leadsync.identity.LinkDecision;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Replays labelled records through identity resolution a page at a time, as a sync reads and resolves them, and
 * measures the profiles found against the truth. The caller resolves each page exactly as the sync does (through
 * the store, in a transaction of its own).
 */
public final class IdentityReplay {
    private IdentityReplay() {
    }

    /**
     * The outcome of a replay.
     *
     * @param figures  profiles against the truth
     * @param reviews  items put in the review queue
     * @param seconds  time spent resolving
     * @param profiles per record, its profile at the end
     */
    public record Result(ClusterFigures figures, long reviews, double seconds, List<String> profiles) {
    }

    /**
     * Resolves the records in pages of {@code pageSize}; {@code resolvePage} resolves one page and returns its
     * decisions. A record's profile is the one it was last linked to, or the one its profile was merged into.
     */
    public static Result replay(LabelledData data, int pageSize, Function<List<Person>, List<LinkDecision>> resolvePage) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size must be at least 1, got " + pageSize);
        }
        List<LabelledData.LabelledRecord> records = data.records();
        Map<io.leadsync.connector.ExternalId, String> profileOf = new HashMap<>();
        Map<String, List<io.leadsync.connector.ExternalId>> members = new HashMap<>();
        long reviews = 0;
        long started = System.nanoTime();
        for (int from = 0; from < records.size(); from += pageSize) {
            List<Person> page = new ArrayList<>(pageSize);
            for (LabelledData.LabelledRecord record : records.subList(from, Math.min(records.size(), from + pageSize))) {
                page.add(record.person());
            }
            for (LinkDecision decision : resolvePage.apply(page)) {
                for (String absorbed : decision.merged()) {
                    List<io.leadsync.connector.ExternalId> moved = members.remove(absorbed);
                    if (moved != null) {
                        moved.forEach(id -> profileOf.put(id, decision.profileId()));
                        members.computeIfAbsent(decision.profileId(), p -> new ArrayList<>()).addAll(moved);
                    }
                }
                String before = profileOf.put(decision.record(), decision.profileId());
                if (before != null && !before.equals(decision.profileId())) {
                    members.getOrDefault(before, new ArrayList<>()).remove(decision.record());
                }
                members.computeIfAbsent(decision.profileId(), p -> new ArrayList<>()).add(decision.record());
                reviews += decision.reviews().stream().filter(r -> r.kind() == IdentityReview.Kind.POSSIBLE_MATCH
                        || r.kind() == IdentityReview.Kind.LARGE_PROFILE).count();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        List<String> entities = new ArrayList<>(records.size());
        List<String> profiles = new ArrayList<>(records.size());
        List<String> kinds = new ArrayList<>(records.size());
        boolean anyKind = false;
        for (LabelledData.LabelledRecord record : records) {
            entities.add(record.entity());
            String profile = profileOf.get(record.person().id());
            if (profile == null) {
                throw new IllegalStateException("no decision for " + record.person().id());
            }
            profiles.add(profile);
            kinds.add(record.kind());
            anyKind |= record.kind() != null;
        }
        return new Result(ClusterFigures.of(entities, profiles, anyKind ? kinds : null), reviews, seconds, profiles);
    }
}
