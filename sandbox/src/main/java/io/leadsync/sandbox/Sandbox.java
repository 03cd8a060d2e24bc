package io.leadsync.sandbox;

import io.leadsync.sandbox.hubspot.HubSpotSimulator;
import io.leadsync.sandbox.mixpanel.MixpanelSimulator;
import io.leadsync.sandbox.salesforce.SalesforceSeeder;
import io.leadsync.sandbox.salesforce.SalesforceSimulator;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The three simulators together, seeded as {@code leadsync demo} seeds them: HubSpot with the generated contacts and
 * their engagements; Salesforce with every fourth of the same people (the same emails) and people of its own; Mixpanel
 * with profiles of the first three fifths of them and their product events every day. Closing it stops all three.
 *
 * @param hubspot          the HubSpot simulator
 * @param salesforce       the Salesforce simulator
 * @param mixpanel         the Mixpanel simulator
 * @param engagements      HubSpot engagements seeded
 * @param leads            Salesforce leads seeded
 * @param salesforceContacts Salesforce contacts seeded
 * @param profiles         Mixpanel profiles seeded
 * @param eventsPerDay     Mixpanel events generated a day
 * @param sharedPeople     Salesforce leads and contacts that are also HubSpot contacts (the same emails)
 * @param salesforceTasks  completed Salesforce tasks seeded
 * @param salesforceEvents Salesforce events seeded
 * @param campaignMembers  Salesforce campaign members seeded
 * @param contacts         HubSpot contacts seeded
 */
public record Sandbox(HubSpotSimulator hubspot, SalesforceSimulator salesforce, MixpanelSimulator mixpanel,
                      int engagements, int leads, int salesforceContacts, int profiles, int eventsPerDay,
                      int sharedPeople, int salesforceTasks, int salesforceEvents, int campaignMembers, int contacts)
        implements AutoCloseable {

    /** Ports on 127.0.0.1 (0 picks a free one) and whether the vendors' rate limits are on. */
    public record Settings(int hubspotPort, int salesforcePort, int mixpanelPort, long seed, int contacts,
                           boolean rateLimits) {
        /** The demo's: HubSpot 8089, Mixpanel 8090, Salesforce 8091, seed 42, 500 contacts, rate limits on. */
        public static Settings defaults() {
            return new Settings(8089, 8091, 8090, 42, 500, true);
        }
    }

    /** Starts and seeds the three simulators; if one cannot start, those already started are closed. */
    public static Sandbox start(Settings settings) {
        return start(settings, java.time.Clock.systemUTC());
    }

    /**
     * {@link #start(Settings)} with the clock Mixpanel's daily events follow: a fixed clock freezes the event
     * stream at that instant (a benchmark's "nothing changed"), the system clock lets the day's events arrive as it
     * goes on.
     */
    public static Sandbox start(Settings settings, java.time.Clock clock) {
        Instant today = clock.instant().truncatedTo(ChronoUnit.DAYS);
        SandboxData data = new SandboxDataGenerator(settings.seed()).generate(settings.contacts(), today);
        HubSpotSimulator.Options hubspotOptions = HubSpotSimulator.Options.defaults().withPort(settings.hubspotPort());
        MixpanelSimulator.Options mixpanelOptions = MixpanelSimulator.Options.defaults()
                .withPort(settings.mixpanelPort()).withClock(clock);
        java.util.List<AutoCloseable> started = new java.util.ArrayList<>();
        try {
            HubSpotSimulator hubspot = HubSpotSimulator.start(settings.rateLimits() ? hubspotOptions
                    : hubspotOptions.withoutRateLimits());
            started.add(hubspot);
            SalesforceSimulator salesforce = SalesforceSimulator.start(SalesforceSimulator.Options.defaults()
                    .withPort(settings.salesforcePort()));
            started.add(salesforce);
            MixpanelSimulator mixpanel = MixpanelSimulator.start(settings.rateLimits() ? mixpanelOptions
                    : mixpanelOptions.withoutRateLimits());
            started.add(mixpanel);
            hubspot.seed(data);
            SalesforceSeeder seeder = new SalesforceSeeder(salesforce);
            SalesforceSeeder.Seeded shared = seeder.seed(data, i -> i % 4 == 0);
            SalesforceSeeder.Seeded own = seeder.seed(new SandboxDataGenerator(settings.seed() + 1).generate(
                    Math.max(10, settings.contacts() * 2 / 5), today));
            int profiles = Math.max(1, settings.contacts() * 3 / 5);
            int perDay = Math.max(20, settings.contacts() / 2);
            mixpanel.seedProfiles(data, profiles, clock.instant());
            mixpanel.generateDaily(perDay, profiles, settings.seed());
            return new Sandbox(hubspot, salesforce, mixpanel, data.engagements().size(),
                    shared.leadIds().size() + own.leadIds().size(),
                    shared.contactIds().size() + own.contactIds().size(), profiles, perDay,
                    shared.leadIds().size() + shared.contactIds().size(), shared.tasks() + own.tasks(),
                    shared.events() + own.events(), shared.members() + own.members(), data.contacts().size());
        } catch (RuntimeException e) {
            for (AutoCloseable simulator : started) {
                try {
                    simulator.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    @Override
    public void close() {
        hubspot.close();
        salesforce.close();
        mixpanel.close();
    }
}
