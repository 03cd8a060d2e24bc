package io.leadsync.app;

import io.leadsync.app.cli.CheckCommand;
import io.leadsync.app.cli.ConfigReferenceCommand;
import io.leadsync.app.cli.DeadLettersCommand;
import io.leadsync.app.cli.DemoCommand;
import io.leadsync.app.cli.EvalIdentityCommand;
import io.leadsync.app.cli.IdentityCommand;
import io.leadsync.app.cli.ModelPreviewCommand;
import io.leadsync.app.cli.ProfileCommand;
import io.leadsync.app.cli.RunsCommand;
import io.leadsync.app.cli.ScoreEvalCommand;
import io.leadsync.app.cli.ScoreTrainCommand;
import io.leadsync.app.cli.ServeCommand;
import io.leadsync.app.cli.SyncCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code leadsync} command line: {@code serve} runs the service, {@code demo} runs the whole pipeline against
 * the local sandbox; {@code sync}, {@code check}, {@code runs}, {@code dead-letters} and {@code profile} operate it;
 * {@code model-preview}, {@code score-*} and {@code eval-identity} give the evidence for models and identity. Every
 * command has {@code --help} and the exit codes of {@link io.leadsync.app.cli.ExitCodes}.
 */
@Command(name = "leadsync", mixinStandardHelpOptions = true, versionProvider = Leadsync.Version.class,
        description = "Keeps lead scores in the CRMs true: pulls contacts and activities, resolves one profile per"
                + " person, scores with an explainable model, and writes scores, grades, reasons and tasks back.",
        subcommands = {ServeCommand.class, DemoCommand.class, SyncCommand.class, CheckCommand.class, RunsCommand.class,
                DeadLettersCommand.class, ProfileCommand.class, ConfigReferenceCommand.class, ModelPreviewCommand.class,
                ScoreTrainCommand.class, ScoreEvalCommand.class, EvalIdentityCommand.class, IdentityCommand.class,
                CommandLine.HelpCommand.class},
        footer = io.leadsync.app.cli.ExitCodes.HELP)
public final class Leadsync implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (for tests). */
    public static int execute(String... args) {
        return new CommandLine(new Leadsync()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Leadsync.class.getPackage().getImplementationVersion();
            return new String[] {"leadsync " + (version == null ? "development build" : version)};
        }
    }
}
