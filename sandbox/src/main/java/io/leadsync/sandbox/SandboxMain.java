package io.leadsync.sandbox;

import io.leadsync.sandbox.hubspot.HubSpotSimulator;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the HubSpot simulator on its own, seeded: {@code --port 8089 --seed 42 --contacts 500}. Stops on Ctrl-C.
 */
public final class SandboxMain {
    private SandboxMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = 8089;
        long seed = 42;
        int contacts = 500;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(require(value, "--port"));
                case "--seed" -> seed = Long.parseLong(require(value, "--seed"));
                case "--contacts" -> contacts = Integer.parseInt(require(value, "--contacts"));
                default -> {
                    System.err.println("unknown option " + args[i] + "; usage: --port N --seed N --contacts N");
                    System.exit(2);
                }
            }
            i++;
        }
        HubSpotSimulator simulator = HubSpotSimulator.start(HubSpotSimulator.Options.defaults().withPort(port));
        SandboxData data = new SandboxDataGenerator(seed).generate(contacts, Instant.now().truncatedTo(ChronoUnit.DAYS));
        simulator.seed(data);
        System.out.printf("HubSpot simulator on %s, token '%s', %d contacts, %d engagements%n", simulator.baseUrl(),
                HubSpotSimulator.Options.DEFAULT_TOKEN, data.contacts().size(), data.engagements().size());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }));
        stopped.await();
    }

    private static String require(String value, String option) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
