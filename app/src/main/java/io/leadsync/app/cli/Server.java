package io.leadsync.app.cli;

import io.leadsync.app.Leadsync;
import io.leadsync.connector.ConfigException;
import io.leadsync.store.StoreException;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** Starts and stops the Micronaut application that hosts leadsync. */
public final class Server implements AutoCloseable {
    private final ApplicationContext context;
    private final EmbeddedServer server;

    private Server(ApplicationContext context, EmbeddedServer server) {
        this.context = context;
        this.server = server;
    }

    /**
     * Starts the application with a config file and property overrides.
     *
     * @throws StartupFailure with a message for the operator (a config error names its key)
     */
    public static Server start(Path configFile, Map<String, Object> overrides) {
        if (!Files.isRegularFile(configFile)) {
            throw new StartupFailure("config file " + configFile.toAbsolutePath() + " does not exist (--config)");
        }
        System.setProperty("micronaut.config.files", configFile.toString());
        Map<String, Object> properties = new LinkedHashMap<>(overrides);
        ApplicationContext context = null;
        try {
            context = ApplicationContext.builder().mainClass(Leadsync.class).properties(properties)
                    .deduceEnvironment(false).start();
            EmbeddedServer server = context.getBean(EmbeddedServer.class);
            server.start();
            return new Server(context, server);
        } catch (RuntimeException e) {
            if (context != null && context.isRunning()) {
                try {
                    context.close();
                } catch (RuntimeException closing) {
                    e.addSuppressed(closing);
                }
            }
            throw new StartupFailure(describe(e), e);
        } finally {
            System.clearProperty("micronaut.config.files");
        }
    }

    /** The operator's message for a start-up failure: a config error's key and problem, not a stack trace. */
    static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConfigException config) {
                return "invalid configuration: " + config.getMessage();
            }
            if (cause instanceof io.leadsync.connector.rest.ManifestException manifest) {
                return "invalid connector manifest: " + manifest.getMessage();
            }
            if (cause instanceof StoreException store) {
                return "the database is not usable: " + store.getMessage();
            }
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    public ApplicationContext context() {
        return context;
    }

    public int port() {
        return server.getPort();
    }

    /** Blocks until the process is asked to stop (Ctrl-C, SIGTERM), then stops the application. */
    public void awaitShutdown() throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            close();
            stopped.countDown();
        }, "leadsync-shutdown"));
        stopped.await();
    }

    @Override
    public synchronized void close() {
        if (context.isRunning()) {
            server.stop();
            context.close();
        }
    }

    /** Start-up failed; the message is for the operator. */
    public static final class StartupFailure extends RuntimeException {
        StartupFailure(String message) {
            super(message);
        }

        StartupFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
