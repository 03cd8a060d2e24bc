package io.leadsync.app.cli;

import io.leadsync.app.Leadsync;
import io.leadsync.app.LeadsyncSettings;
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
        return start(configFile, overrides, true);
    }

    /**
     * Starts the application, with its HTTP API or without ({@code model-preview} needs only the services).
     *
     * @throws StartupFailure with a message for the operator; the API is not served without a token in
     *                        {@code leadsync.api.tokens}
     */
    public static Server start(Path configFile, Map<String, Object> overrides, boolean http) {
        if (!Files.isRegularFile(configFile)) {
            throw new StartupFailure("config file " + configFile.toAbsolutePath() + " does not exist (--config)");
        }
        System.setProperty("micronaut.config.files", configFile.toString());
        // environment variables map to leadsync.* settings in one documented way (LeadsyncSettings); Micronaut's own
        // mapping is kept from LEADSYNC_* and SYNC_* variables, which would otherwise become unknown keys
        Map<String, String> environment = System.getenv();
        Map<String, Object> properties = new LinkedHashMap<>(LeadsyncSettings.fromEnvironment(environment));
        properties.putAll(overrides);
        String[] excluded = environment.keySet().stream()
                .filter(name -> name.startsWith("LEADSYNC_") || name.startsWith("SYNC_")).toArray(String[]::new);
        ApplicationContext context = null;
        try {
            context = ApplicationContext.builder().mainClass(Leadsync.class).properties(properties)
                    .environmentVariableExcludes(excluded).deduceEnvironment(false).start();
            EmbeddedServer server = null;
            if (http) {
                if (!context.getBean(io.leadsync.app.LeadsyncConfig.class).api().configured()) {
                    throw new ConfigException("leadsync.api.tokens", "is required to serve the HTTP API: list at least"
                            + " one token, e.g. [{name: ops, role: admin, token: ${LEADSYNC_ADMIN_TOKEN:}}] (see"
                            + " config/application.yml); every call but /health must send one");
                }
                server = context.getBean(EmbeddedServer.class);
                server.start();
            }
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
        return io.leadsync.connector.Secrets.mask(operatorMessage(failure));
    }

    private static String operatorMessage(Throwable failure) {
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
        if (server == null) {
            throw new IllegalStateException("this application was started without its HTTP API");
        }
        return server.getPort();
    }

    /** The address the API listens on (127.0.0.1 unless micronaut.server.host says otherwise). */
    public String host() {
        return server == null ? null : server.getHost();
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
            if (server != null) {
                server.stop();
            }
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
