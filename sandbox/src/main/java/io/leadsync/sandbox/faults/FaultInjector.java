package io.leadsync.sandbox.faults;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The faults one simulator injects, and what it saw: its {@link FaultPlan} (rules and seed), how often each rule
 * matched and fired, counters of requests by class and route and of faults by kind, and the {@link RequestHook}s
 * tests set. Every simulator owns one ({@code simulator.faults()}); its control endpoint ({@code /_sandbox/faults})
 * reads and changes the same one. Thread-safe.
 */
public final class FaultInjector {
    private static final Logger LOG = LoggerFactory.getLogger(FaultInjector.class);

    /** A rule of the plan with what it has done so far. */
    public record RuleStatus(int index, FaultRule rule, long matched, long fired) {
    }

    /** A rule's decision to take a request; {@code random} decides the rule's further draws (failing records). */
    record Injection(FaultRule rule, long random) {
        PartialBatch partialBatch() {
            return rule.kind() == FaultKind.PARTIAL_BATCH ? new PartialBatch(rule, random) : PartialBatch.NONE;
        }
    }

    private static final class ActiveRule {
        final FaultRule rule;
        final PathPattern path;
        final Set<String> methods;
        long matched;
        long fired;

        ActiveRule(FaultRule rule) {
            this.rule = rule;
            this.path = PathPattern.of(rule.path());
            this.methods = rule.method() == null ? null : Set.copyOf(Arrays.asList(rule.method().split("\\|")));
        }

        boolean matches(String method, String requestPath) {
            return (methods == null || methods.contains(method)) && path.matches(requestPath);
        }
    }

    private final Consumer<FaultRule> validator;
    private final Runnable onClear;
    private final Object lock = new Object();
    private long seed;
    private final List<ActiveRule> rules = new ArrayList<>();
    private final List<RequestHook> hooks = new CopyOnWriteArrayList<>();
    private final LongAdder requests = new LongAdder();
    private final Map<RequestClass, LongAdder> byClass = new EnumMap<>(RequestClass.class);
    private final Map<String, LongAdder> byRoute = new ConcurrentHashMap<>();
    private final Map<FaultKind, LongAdder> injected = new EnumMap<>(FaultKind.class);

    /** An injector that accepts every rule. */
    public FaultInjector() {
        this(rule -> {
        }, () -> {
        });
    }

    /**
     * @param validator refuses (IllegalArgumentException) rules its simulator cannot apply, e.g. a policy its vendor
     *                  does not have
     * @param onClear   undoes lasting effects of faults when they are cleared (expired tokens work again)
     */
    public FaultInjector(Consumer<FaultRule> validator, Runnable onClear) {
        this.validator = Objects.requireNonNull(validator, "validator");
        this.onClear = Objects.requireNonNull(onClear, "onClear");
        for (RequestClass each : RequestClass.values()) {
            byClass.put(each, new LongAdder());
        }
        for (FaultKind kind : FaultKind.values()) {
            injected.put(kind, new LongAdder());
        }
    }

    // ---------------------------------------------------------------- the plan

    /** Replaces the plan: its rules start afresh (nothing matched or fired yet). */
    public void setPlan(FaultPlan plan) {
        plan.rules().forEach(validator);
        synchronized (lock) {
            seed = plan.seed();
            rules.clear();
            plan.rules().forEach(rule -> rules.add(new ActiveRule(rule)));
        }
    }

    /** The plan in force. */
    public FaultPlan plan() {
        synchronized (lock) {
            return new FaultPlan(seed, rules.stream().map(r -> r.rule).toList());
        }
    }

    /** Adds rules after the others, under the plan's seed; if one is refused, none is added. */
    public void add(FaultRule... added) {
        List<FaultRule> checked = List.of(added);
        checked.forEach(validator);
        synchronized (lock) {
            checked.forEach(rule -> rules.add(new ActiveRule(rule)));
        }
    }

    /** Removes every rule (the seed stays) and undoes lasting effects: expired tokens work again. */
    public void clear() {
        synchronized (lock) {
            rules.clear();
        }
        onClear.run();
    }

    /** Each rule with how many requests it matched and how many it took. */
    public List<RuleStatus> rules() {
        synchronized (lock) {
            List<RuleStatus> statuses = new ArrayList<>();
            for (int i = 0; i < rules.size(); i++) {
                ActiveRule rule = rules.get(i);
                statuses.add(new RuleStatus(i, rule.rule, rule.matched, rule.fired));
            }
            return statuses;
        }
    }

    // ---------------------------------------------------------------- counters

    public FaultStats stats() {
        Map<RequestClass, Long> classes = new EnumMap<>(RequestClass.class);
        byClass.forEach((key, value) -> classes.put(key, value.sum()));
        Map<String, Long> routes = new TreeMap<>();
        byRoute.forEach((key, value) -> routes.put(key, value.sum()));
        Map<FaultKind, Long> kinds = new EnumMap<>(FaultKind.class);
        injected.forEach((key, value) -> {
            if (value.sum() > 0) {
                kinds.put(key, value.sum());
            }
        });
        return new FaultStats(requests.sum(), classes, routes, kinds);
    }

    /** Sets the counters of {@link #stats()} to zero (the rules keep what they matched and fired). */
    public void resetStats() {
        requests.reset();
        byClass.values().forEach(LongAdder::reset);
        injected.values().forEach(LongAdder::reset);
        byRoute.clear();
    }

    // ---------------------------------------------------------------- hooks

    /**
     * Runs {@code callback} once, on the request's thread, when the {@code nth} (from 1, counted from now) request
     * matching {@code method} (null: any) and {@code path} (a prefix or pattern as in {@link FaultRule#path()}) reaches
     * {@code phase}. The request waits for the callback, which may block; the simulator then goes on (answering into
     * a dead socket if the client died meanwhile) unless the callback asked {@link HookedRequest#dropConnection()}.
     */
    public RequestHook onRequest(String method, String path, int nth, RequestHook.Phase phase,
                                 RequestHook.Callback callback) {
        RequestHook hook = new RequestHook(method, path, nth, phase, callback);
        hooks.add(hook);
        return hook;
    }

    /** Cancels and forgets every hook. */
    public void cancelHooks() {
        hooks.forEach(RequestHook::cancel);
        hooks.clear();
    }

    // ---------------------------------------------------------------- used by SimulatorServer

    /** Counts a vendor request that arrived. */
    void count(String method, String path, RequestClass requestClass) {
        requests.increment();
        byClass.get(requestClass).increment();
        byRoute.computeIfAbsent(route(method, path), key -> new LongAdder()).increment();
    }

    /**
     * The rule that takes this request, if any: rules are tried in order; a rule counts the requests it matches
     * (of the kinds {@code applies} allows here), lets its first {@code skip} through, fires with its share's
     * probability (drawn from the seed, the rule's index and the request's ordinal) until it has fired
     * {@code count} times. The first rule that fires takes the request; later rules do not see it.
     */
    Injection decide(String method, String path, Predicate<FaultKind> applies) {
        synchronized (lock) {
            for (int i = 0; i < rules.size(); i++) {
                ActiveRule active = rules.get(i);
                FaultRule rule = active.rule;
                if (!applies.test(rule.kind()) || !active.matches(method, path)) {
                    continue;
                }
                long ordinal = active.matched++;
                if (ordinal < rule.skip() || (rule.count() != null && active.fired >= rule.count())) {
                    continue;
                }
                long random = Mix.mix(Mix.mix(seed, i), ordinal);
                if (rule.share() < 1 && Mix.unit(random) >= rule.share()) {
                    continue;
                }
                active.fired++;
                injected.get(rule.kind()).increment();
                return new Injection(rule, Mix.mix(random, 0x5EEDL));
            }
            return null;
        }
    }

    /** Runs the hooks due at this phase for this request; true if one asked to drop the connection. */
    boolean runHooks(RequestHook.Phase phase, String method, String path, String query, byte[] body, int status) {
        boolean drop = false;
        for (RequestHook hook : hooks) {
            if (hook.phase() != phase || !hook.counts(method, path)) {
                continue;
            }
            HookedRequest request = new HookedRequest(method, path, query, body, phase, status);
            try {
                hook.run(request);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.warn("{} was interrupted", hook);
            } catch (Exception e) {
                LOG.warn("{} failed; the request goes on", hook, e);
            }
            drop |= request.dropRequested();
        }
        return drop;
    }

    /**
     * A request's route for the counters: its method and path with ids shown as {@code {id}} (segments of digits,
     * and segments of 12 or more characters that hold a digit, as Salesforce ids and query locators do).
     */
    static String route(String method, String path) {
        String[] segments = path.split("/", -1);
        StringBuilder route = new StringBuilder(method).append(' ');
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                route.append('/');
            }
            route.append(isId(segments[i]) ? "{id}" : segments[i]);
        }
        return route.toString();
    }

    private static boolean isId(String segment) {
        if (segment.isEmpty()) {
            return false;
        }
        boolean digits = true;
        boolean anyDigit = false;
        for (int i = 0; i < segment.length(); i++) {
            boolean digit = Character.isDigit(segment.charAt(i));
            digits &= digit;
            anyDigit |= digit;
        }
        return digits || (anyDigit && segment.length() >= 12);
    }

    /** The plan, the rules' counts and the counters as the control endpoint shows them. */
    Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("plan", plan());
        view.put("rules", rules().stream().map(status -> {
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("index", status.index());
            rule.put("spec", status.rule().toSpec());
            rule.put("matched", status.matched());
            rule.put("fired", status.fired());
            return rule;
        }).toList());
        view.put("stats", stats());
        return view;
    }
}
