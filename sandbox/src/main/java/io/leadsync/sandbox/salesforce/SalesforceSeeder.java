package io.leadsync.sandbox.salesforce;

import io.leadsync.sandbox.SandboxData;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Fills a {@link SalesforceSimulator} with an org's worth of generated people: sales users; Leads, and Contacts
 * under their Accounts (every third person is a Contact); completed Tasks for emails and calls, Events for
 * meetings; two Campaigns with members (a webinar and a trade show); and closed Opportunities for some Contacts.
 * The same generated person gets the same email here as in the HubSpot sandbox, so the two CRMs share people.
 */
public final class SalesforceSeeder {
    private static final String[] LEAD_STATUSES = {"Open - Not Contacted", "Working - Contacted",
            "Working - Contacted", "Open - Not Contacted"};
    private static final String[] LEAD_SOURCES = {"Web", "Phone Inquiry", "Partner Referral", "Purchased List",
            "Other"};

    private final SalesforceSimulator simulator;
    private final List<String> owners = new ArrayList<>();
    private final Map<String, String> accounts = new HashMap<>();
    private String webinar;
    private String tradeShow;

    /** What was seeded. */
    public record Seeded(List<String> leadIds, List<String> contactIds, int tasks, int events, int members,
                         int opportunities) {
    }

    public SalesforceSeeder(SalesforceSimulator simulator) {
        this.simulator = simulator;
    }

    /**
     * Seeds the people whose index passes {@code include}, with their engagements.
     *
     * @param data    generated people and engagements
     * @param include which people of {@code data} this org knows
     */
    public Seeded seed(SandboxData data, IntPredicate include) {
        Instant start = data.contacts().stream().map(SandboxData.GeneratedContact::createdAt).min(Instant::compareTo)
                .orElse(Instant.now());
        if (owners.isEmpty()) {
            for (String name : List.of("Dana Whitfield", "Marcus Obi", "Priya Raman")) {
                owners.add(simulator.insert("User", Map.of("Name", name, "Username", name.toLowerCase().replace(' ', '.')
                        + "@leadsync-demo.example", "IsActive", true), start, start));
            }
            webinar = simulator.insert("Campaign", Map.of("Name", "Webinar: Lead scoring sales trusts", "Type",
                    "Webinar", "Status", "Completed"), start, start);
            tradeShow = simulator.insert("Campaign", Map.of("Name", "SaaStr Europa booth", "Type", "Trade Show",
                    "Status", "Completed"), start, start);
        }
        List<String> leads = new ArrayList<>();
        List<String> contacts = new ArrayList<>();
        Map<Integer, String> personIds = new HashMap<>();
        for (int i = 0; i < data.contacts().size(); i++) {
            if (!include.test(i)) {
                continue;
            }
            SandboxData.GeneratedContact person = data.contacts().get(i);
            Map<String, String> p = person.properties();
            String owner = owners.get(i % owners.size());
            String id;
            if (i % 3 == 0) {
                String account = accounts.computeIfAbsent(p.getOrDefault("company", "Unknown"), name -> {
                    Map<String, Object> values = new LinkedHashMap<>();
                    values.put("Name", name);
                    putIf(values, "Industry", p.get("industry"));
                    putIf(values, "NumberOfEmployees", integer(p.get("numberofemployees")));
                    putIf(values, "AnnualRevenue", integer(p.get("annualrevenue")));
                    putIf(values, "BillingCountry", p.get("country"));
                    putIf(values, "Website", p.get("website"));
                    values.put("OwnerId", owner);
                    return simulator.insert("Account", values, person.createdAt(), person.createdAt());
                });
                Map<String, Object> values = new LinkedHashMap<>();
                putIf(values, "FirstName", p.get("firstname"));
                values.put("LastName", p.getOrDefault("lastname", "Unknown"));
                putIf(values, "Email", p.get("email"));
                putIf(values, "Title", p.get("jobtitle"));
                putIf(values, "Phone", p.get("phone"));
                putIf(values, "MailingCountry", p.get("country"));
                values.put("AccountId", account);
                values.put("OwnerId", owner);
                values.put("LeadSource", LEAD_SOURCES[i % LEAD_SOURCES.length]);
                id = simulator.insert("Contact", values, person.createdAt(), person.updatedAt());
                contacts.add(id);
            } else {
                Map<String, Object> values = new LinkedHashMap<>();
                putIf(values, "FirstName", p.get("firstname"));
                values.put("LastName", p.getOrDefault("lastname", "Unknown"));
                putIf(values, "Email", p.get("email"));
                putIf(values, "Title", p.get("jobtitle"));
                values.put("Company", p.getOrDefault("company", "Unknown"));
                putIf(values, "Website", p.get("website"));
                putIf(values, "Country", p.get("country"));
                putIf(values, "Phone", p.get("phone"));
                putIf(values, "Industry", p.get("industry"));
                putIf(values, "NumberOfEmployees", integer(p.get("numberofemployees")));
                putIf(values, "AnnualRevenue", integer(p.get("annualrevenue")));
                values.put("Status", LEAD_STATUSES[i % LEAD_STATUSES.length]);
                values.put("LeadSource", LEAD_SOURCES[i % LEAD_SOURCES.length]);
                values.put("OwnerId", owner);
                values.put("IsConverted", false);
                id = simulator.insert("Lead", values, person.createdAt(), person.updatedAt());
                leads.add(id);
            }
            personIds.put(i, id);
        }
        int tasks = 0;
        int events = 0;
        for (SandboxData.GeneratedEngagement engagement : data.engagements()) {
            String who = personIds.get(engagement.contactIndex());
            if (who == null) {
                continue;
            }
            Map<String, String> e = engagement.properties();
            Instant at = Instant.parse(e.get("hs_timestamp"));
            String owner = owners.get(engagement.contactIndex() % owners.size());
            switch (engagement.objectType()) {
                case "emails" -> {
                    if (!"BOUNCED".equals(e.get("hs_email_status"))) {
                        simulator.insert("Task", task(who, owner, "Email", "Email: " + e.getOrDefault(
                                "hs_email_subject", "Follow-up"), at), at, at);
                        tasks++;
                    }
                }
                case "calls" -> {
                    simulator.insert("Task", task(who, owner, "Call", e.getOrDefault("hs_call_title", "Call"), at),
                            at, at);
                    tasks++;
                }
                case "meetings" -> {
                    String outcome = e.getOrDefault("hs_meeting_outcome", "COMPLETED");
                    if (outcome.equals("COMPLETED") || outcome.equals("SCHEDULED")) {
                        Map<String, Object> values = new LinkedHashMap<>();
                        values.put("WhoId", who);
                        values.put("Subject", e.getOrDefault("hs_meeting_title", "Meeting"));
                        values.put("Type", "Meeting");
                        values.put("StartDateTime", at);
                        values.put("ActivityDate", at.atZone(ZoneOffset.UTC).toLocalDate().toString());
                        values.put("OwnerId", owner);
                        simulator.insert("Event", values, at, at);
                        events++;
                    }
                }
                default -> {
                }
            }
        }
        int members = 0;
        int opportunities = 0;
        for (Map.Entry<Integer, String> person : personIds.entrySet()) {
            int i = person.getKey();
            String id = person.getValue();
            boolean isLead = id.startsWith("00Q");
            SandboxData.GeneratedContact generated = data.contacts().get(i);
            Instant joined = generated.createdAt().plus(Duration.ofDays(1));
            if (joined.isAfter(generated.updatedAt())) {
                joined = generated.updatedAt();
            }
            if (i % 5 == 0 || i % 11 == 0) {
                Map<String, Object> values = new LinkedHashMap<>();
                values.put(isLead ? "LeadId" : "ContactId", id);
                values.put("CampaignId", i % 5 == 0 ? webinar : tradeShow);
                boolean responded = i % 2 == 0;
                values.put("Status", responded ? (i % 5 == 0 ? "Attended" : "Visited booth") : "Registered");
                values.put("HasResponded", responded);
                simulator.insert("CampaignMember", values, joined, joined);
                members++;
            }
            if (!isLead && i % 4 == 0) {
                boolean won = i % 8 == 0;
                Map<String, Object> values = new LinkedHashMap<>();
                values.put("ContactId", id);
                values.put("Name", generated.properties().getOrDefault("company", "Deal") + " - Platform");
                values.put("StageName", won ? "Closed Won" : "Closed Lost");
                values.put("IsWon", won);
                values.put("IsClosed", true);
                values.put("CloseDate", generated.updatedAt().atZone(ZoneOffset.UTC).toLocalDate().toString());
                values.put("Amount", 12_000 + (i % 9) * 4_000);
                values.put("OwnerId", owners.get(i % owners.size()));
                simulator.insert("Opportunity", values, generated.updatedAt(), generated.updatedAt());
                opportunities++;
            }
        }
        return new Seeded(List.copyOf(leads), List.copyOf(contacts), tasks, events, members, opportunities);
    }

    /** Seeds every person of {@code data}. */
    public Seeded seed(SandboxData data) {
        return seed(data, i -> true);
    }

    private static Map<String, Object> task(String who, String owner, String kind, String subject, Instant at) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("WhoId", who);
        values.put("Subject", subject.length() > 255 ? subject.substring(0, 255) : subject);
        values.put("Type", kind);
        values.put("TaskSubtype", kind);
        values.put("Status", "Completed");
        values.put("Priority", "Normal");
        values.put("ActivityDate", at.atZone(ZoneOffset.UTC).toLocalDate().toString());
        values.put("OwnerId", owner);
        return values;
    }

    private static void putIf(Map<String, Object> values, String field, Object value) {
        if (value != null) {
            values.put(field, value);
        }
    }

    private static Long integer(String text) {
        try {
            return text == null ? null : Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
