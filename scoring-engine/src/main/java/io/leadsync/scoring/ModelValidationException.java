package io.leadsync.scoring;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A model file that is no valid model. The message lists every problem found, one a line, each as
 * {@code <source>:<line>: <reason>} (as compilers do), e.g.
 * {@code default-model.yml:14: unknown key 'contain-any' in criterion 'Senior decision maker'; expected one of [...]}.
 */
public class ModelValidationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * One problem.
     *
     * @param line   1-based line in the source
     * @param reason what is wrong and, where it helps, what was expected
     */
    public record Problem(int line, String reason) implements Serializable {
        public Problem {
            Objects.requireNonNull(reason, "reason");
        }
    }

    private final String source;
    private final List<Problem> problems;

    public ModelValidationException(String source, List<Problem> problems) {
        super(message(source, problems));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    /** The source the problems are in, as given to the parser (a file path or a name). */
    public String source() {
        return source;
    }

    /** The problems in line order; never empty. */
    public List<Problem> problems() {
        return problems;
    }

    private static String message(String source, List<Problem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a validation exception needs a problem");
        }
        return problems.stream().map(problem -> source + ":" + problem.line() + ": " + problem.reason())
                .collect(Collectors.joining("\n"));
    }
}
