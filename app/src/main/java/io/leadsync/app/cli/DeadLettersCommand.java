package io.leadsync.app.cli;

import io.leadsync.app.ops.DeadLetterOps;
import io.leadsync.store.DeadLetter;
import io.leadsync.store.DeadLetterRepository;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code leadsync dead-letters [--replay | --discard]}: lists the open dead letters (filtered by stage, source, run
 * or id), or replays or discards the ones listed.
 */
@Command(name = "dead-letters", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = "List the open dead letters; --replay runs the listed ones through their stage again (one that"
                + " goes through is resolved), --discard resolves them without a replay.")
public final class DeadLettersCommand extends ServiceCommand {
    @Option(names = "--stage", description = "Only letters of this stage: pull, score, push or task.")
    String stage;

    @Option(names = "--source", description = "Only letters of this connector.")
    String source;

    @Option(names = "--run", description = "Only letters written by this run.")
    Long run;

    @Option(names = "--id", split = ",", description = "Only these letters (ids, comma-separated).")
    List<Long> ids;

    @Option(names = "--limit", defaultValue = "100", description = "How many letters (default: ${DEFAULT-VALUE}).")
    int limit;

    @ArgGroup(exclusive = true)
    Action action;

    static final class Action {
        @Option(names = "--replay", description = "Replay the letters listed.")
        boolean replay;

        @Option(names = "--discard", description = "Discard the letters listed.")
        boolean discard;
    }

    @Override
    int work(Server server) {
        if (stage != null && !List.of("pull", "score", "push", "task").contains(stage)) {
            err.println("--stage must be pull, score, push or task but is '" + stage + "'");
            return ExitCodes.USAGE;
        }
        DeadLetterOps letters = server.context().getBean(DeadLetterOps.class);
        List<DeadLetter> listed = new ArrayList<>();
        if (ids != null) {
            for (long id : ids) {
                Optional<DeadLetter> letter = letters.get(id);
                if (letter.isEmpty()) {
                    err.println("no dead letter " + id);
                    return ExitCodes.NOT_FOUND;
                }
                listed.add(letter.get());
            }
        } else {
            listed.addAll(letters.list(new DeadLetterRepository.Filter(DeadLetter.OPEN, stage, source, run, null),
                    limit));
        }
        for (DeadLetter letter : listed) {
            out.printf("%-6d %-6s %-8s %-18s %-20s %-10s %s%n", letter.id(), letter.runId() == null ? "-"
                            : letter.runId().toString(), letter.stage(), letter.source(),
                    letter.recordId() == null ? "-" : letter.recordId(), letter.status().toLowerCase(Locale.ROOT),
                    letter.reason());
        }
        if (action == null) {
            out.printf("%d dead letters%n", listed.size());
            return ExitCodes.OK;
        }
        List<DeadLetter> open = listed.stream().filter(DeadLetter::open).toList();
        DeadLetterOps.Outcome outcome = action.replay ? letters.replay(open, "cli") : letters.discard(open, "cli");
        outcome.letters().forEach((id, what) -> out.printf("%d: %s%n", id, what));
        out.printf("%d of %d letters %s%s%n", outcome.resolved().size(), open.size(),
                action.replay ? "replayed" : "discarded", outcome.runs().isEmpty() ? ""
                        : " (runs " + outcome.runs() + ")");
        if (!outcome.problems().isEmpty()) {
            return ExitCodes.BUSY;
        }
        return outcome.resolved().size() == open.size() ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
