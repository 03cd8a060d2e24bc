/**
 * Faults the sandbox's simulators inject, one way for all of them: a {@link io.leadsync.sandbox.faults.FaultPlan}
 * of {@link io.leadsync.sandbox.faults.FaultRule}s held by each simulator's
 * {@link io.leadsync.sandbox.faults.FaultInjector}, applied by the {@link io.leadsync.sandbox.faults.SimulatorServer}
 * every simulator runs on, switchable from Java ({@code simulator.faults()}) or over HTTP ({@code /_sandbox/faults}),
 * with counters and request hooks for tests. See {@code docs/sandbox.md}.
 */
package io.leadsync.sandbox.faults;
