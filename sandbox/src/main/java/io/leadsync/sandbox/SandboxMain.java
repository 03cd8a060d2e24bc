package io.leadsync.sandbox;

import io.leadsync.sandbox.faults.FaultInjector;
import io.leadsync.sandbox.faults.FaultPlan;
import io.leadsync.sandbox.faults.FaultRule;
import io.leadsync.sandbox.hubspot.HubSpotSimulator;
import io.leadsync.sandbox.hubspot.HubSpotWebhookSender;
import io.leadsync.sandbox.mixpanel.MixpanelSimulator;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the HubSpot, Salesforce and Mixpanel simulators seeded as {@code leadsync demo} seeds them, on the given ports,
 * with faults from the start if asked, until Ctrl-C: a misbehaving vendor an admin can run leadsync against from
 * outside a test. Each simulator's faults can be changed while it runs through its control endpoint
 * ({@code <base>/_sandbox/faults}). From the built jar:
 * <pre>
 * java -cp app/target/leadsync.jar io.leadsync.sandbox.SandboxMain --fault hubspot:RATE_LIMIT,share=0.2
 * </pre>
 */
public final class SandboxMain {
    static final String USAGE = """
            usage: java -cp app/target/leadsync.jar io.leadsync.sandbox.SandboxMain [options]
              --hubspot-port N     HubSpot's port on 127.0.0.1 (default 8089; 0 picks a free one)
              --salesforce-port N  Salesforce's port (default 8091)
              --mixpanel-port N    Mixpanel's port (default 8090)
              --seed N             seed of the generated data (default 42)
              --contacts N         HubSpot contacts to generate; the other simulators follow (default 500)
              --no-rate-limits     turn HubSpot's and Mixpanel's own rate limits off
              --fault SIM:RULE     a fault from the start (repeatable); SIM is hubspot, salesforce or mixpanel,
                                   RULE the compact form, e.g. hubspot:RATE_LIMIT,share=0.2 or
                                   salesforce:EXPIRE_TOKEN,count=1,skip=20 (see docs/sandbox.md)
              --fault-seed N       the seed that decides which requests the faults' shares take (default: --seed)
              --hubspot-webhook-url URL   send HubSpot's signed webhook batches for contact changes to URL
                                   (e.g. http://127.0.0.1:8080/webhooks/hubspot/hubspot-main)
              --hubspot-client-secret S   the app's client secret that signs them (default sandbox-client-secret)
              --help               this text
            """;

    private SandboxMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (List.of(args).contains("--help")) {
            System.out.print(USAGE);
            return;
        }
        Sandbox sandbox;
        try {
            sandbox = start(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        } catch (UncheckedIOException e) {
            System.err.println(e.getMessage() + ": " + e.getCause().getMessage() + " (another port, or 0 for a free"
                    + " one: --hubspot-port, --salesforce-port, --mixpanel-port)");
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stopped.countDown();
        }));
        stopped.await();
    }

    /**
     * Starts the sandbox as {@code args} say and prints where each simulator and its control endpoint are. Bad
     * options are an IllegalArgumentException that says what was wrong.
     */
    static Sandbox start(String[] args, PrintStream out) {
        Sandbox.Settings defaults = Sandbox.Settings.defaults();
        int hubspotPort = defaults.hubspotPort();
        int salesforcePort = defaults.salesforcePort();
        int mixpanelPort = defaults.mixpanelPort();
        long seed = defaults.seed();
        int contacts = defaults.contacts();
        boolean rateLimits = true;
        Long faultSeed = null;
        URI webhookUrl = null;
        String clientSecret = HubSpotWebhookSender.DEFAULT_CLIENT_SECRET;
        Map<String, List<FaultRule>> faults = new LinkedHashMap<>();
        for (String name : List.of("hubspot", "salesforce", "mixpanel")) {
            faults.put(name, new ArrayList<>());
        }
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--no-rate-limits")) {
                rateLimits = false;
                continue;
            }
            String value = ++i < args.length ? args[i] : null;
            switch (option) {
                case "--hubspot-port" -> hubspotPort = port(option, value);
                case "--salesforce-port" -> salesforcePort = port(option, value);
                case "--mixpanel-port" -> mixpanelPort = port(option, value);
                case "--seed" -> seed = number(option, value);
                case "--contacts" -> contacts = (int) number(option, value);
                case "--fault-seed" -> faultSeed = number(option, value);
                case "--hubspot-webhook-url" -> webhookUrl = url(option, value);
                case "--hubspot-client-secret" -> clientSecret = require(option, value);
                case "--fault" -> {
                    String fault = require(option, value);
                    int colon = fault.indexOf(':');
                    String simulator = colon < 0 ? "" : fault.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                    if (!faults.containsKey(simulator)) {
                        throw new IllegalArgumentException("--fault " + fault + ": start it with the simulator it is"
                                + " for, hubspot:, salesforce: or mixpanel:, e.g. hubspot:RATE_LIMIT,share=0.2");
                    }
                    try {
                        faults.get(simulator).add(FaultRule.parse(fault.substring(colon + 1)));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("--fault " + fault + ": " + e.getMessage(), e);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (contacts < 1) {
            throw new IllegalArgumentException("--contacts must be at least 1 but was " + contacts);
        }
        long planSeed = faultSeed != null ? faultSeed : seed;
        Sandbox sandbox = Sandbox.start(new Sandbox.Settings(hubspotPort, salesforcePort, mixpanelPort, seed, contacts,
                rateLimits));
        try {
            plan(sandbox.hubspot().faults(), "hubspot", planSeed, faults.get("hubspot"));
            plan(sandbox.salesforce().faults(), "salesforce", planSeed, faults.get("salesforce"));
            plan(sandbox.mixpanel().faults(), "mixpanel", planSeed, faults.get("mixpanel"));
        } catch (IllegalArgumentException e) {
            sandbox.close();
            throw e;
        }
        if (webhookUrl != null) {
            sandbox.hubspot().webhooks().configure(HubSpotWebhookSender.Settings.of(webhookUrl, clientSecret));
        }
        var salesforceOptions = sandbox.salesforce().options();
        out.printf("HubSpot simulator on %s: token '%s', %d contacts, %d engagements%n", sandbox.hubspot().baseUrl(),
                HubSpotSimulator.Options.DEFAULT_TOKEN, contacts, sandbox.engagements());
        control(out, sandbox.hubspot().controlUrl(), faults.get("hubspot"));
        out.printf("  webhooks: %s%n", webhookUrl == null ? "none (--hubspot-webhook-url, or PUT "
                + sandbox.hubspot().baseUrl() + "/webhooks/v3/{appId}/settings)" : "contact changes to " + webhookUrl
                + ", signed v3 with the client secret");
        out.printf("Salesforce simulator on %s (login and instance URL): client id '%s', secret '%s', user '%s',"
                        + " password '%s'; %d leads, %d contacts%n", sandbox.salesforce().baseUrl(),
                salesforceOptions.clientId(), salesforceOptions.clientSecret(), salesforceOptions.username(),
                salesforceOptions.password(), sandbox.leads(), sandbox.salesforceContacts());
        control(out, sandbox.salesforce().controlUrl(), faults.get("salesforce"));
        out.printf("  its Pub/Sub API (Change Data Capture, gRPC in plaintext) on %s:%d%n",
                sandbox.salesforce().pubSub().host(), sandbox.salesforce().pubSub().port());
        out.printf("Mixpanel simulator on %s (export %s, query %s): service account '%s', secret '%s', project %s;"
                        + " %d profiles, %d events a day%n", sandbox.mixpanel().baseUrl(), sandbox.mixpanel().exportUrl(),
                sandbox.mixpanel().queryUrl(), MixpanelSimulator.USER,
                MixpanelSimulator.SECRET,
                MixpanelSimulator.PROJECT, sandbox.profiles(), sandbox.eventsPerDay());
        control(out, sandbox.mixpanel().controlUrl(), faults.get("mixpanel"));
        out.printf("Faults' seed %d. Stop with Ctrl-C.%n", planSeed);
        out.flush();
        return sandbox;
    }

    private static void plan(FaultInjector injector, String simulator, long seed, List<FaultRule> rules) {
        try {
            injector.setPlan(new FaultPlan(seed, rules));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--fault " + simulator + ":...: " + e.getMessage(), e);
        }
    }

    private static void control(PrintStream out, URI control, List<FaultRule> rules) {
        out.printf("  control: %s/faults (GET, PUT, POST, DELETE), %s/stats; faults now: %s%n", control, control,
                rules.isEmpty() ? "none" : rules.stream().map(FaultRule::toSpec).toList());
    }

    private static URI url(String option, String value) {
        String text = require(option, value);
        try {
            URI uri = new URI(text);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new URISyntaxException(text, "not an absolute http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(option + " must be an absolute http(s) URL but was '" + text + "'");
        }
    }

    private static String require(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    private static long number(String option, String value) {
        try {
            return Long.parseLong(require(option, value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number but was '" + value + "'");
        }
    }

    private static int port(String option, String value) {
        long port = number(option, value);
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(option + " must be a port (0 to 65535; 0 picks a free one) but was "
                    + port);
        }
        return (int) port;
    }
}
