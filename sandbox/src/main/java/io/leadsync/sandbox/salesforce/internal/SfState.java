package io.leadsync.sandbox.salesforce.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The simulated org's records: per object type, records by id, with the fields Salesforce maintains
 * ({@code Id}, {@code CreatedDate}, {@code LastModifiedDate}, {@code SystemModstamp}, {@code IsDeleted},
 * {@code MasterRecordId}). Not thread-safe: the simulator serializes access.
 */
public final class SfState {
    /** Key prefixes of the objects: the first three characters of their ids. */
    public static final Map<String, String> PREFIXES = Map.of("Lead", "00Q", "Contact", "003", "Account", "001",
            "Task", "00T", "Event", "00U", "User", "005", "Opportunity", "006", "CampaignMember", "00v",
            "Campaign", "701");
    /** Fields of each object besides the system ones; custom ({@code __c}) fields can be added. */
    private static final Map<String, List<String>> STANDARD_FIELDS = Map.of(
            "Lead", List.of("FirstName", "LastName", "Email", "Title", "Company", "Country", "Phone", "Street",
                    "City", "PostalCode", "Industry", "NumberOfEmployees", "AnnualRevenue", "Status", "OwnerId",
                    "IsConverted", "Website", "LeadSource", "Rating"),
            "Contact", List.of("FirstName", "LastName", "Email", "Title", "Phone", "MailingCountry", "MailingStreet",
                    "MailingCity", "MailingPostalCode", "Birthdate", "AccountId", "OwnerId", "LeadSource"),
            "Account", List.of("Name", "Industry", "NumberOfEmployees", "AnnualRevenue", "BillingCountry",
                    "Website", "OwnerId", "Rating"),
            "Task", List.of("WhoId", "WhatId", "Subject", "Type", "TaskSubtype", "ActivityDate", "Status",
                    "Priority", "OwnerId", "Description"),
            "Event", List.of("WhoId", "WhatId", "Subject", "Type", "ActivityDate", "StartDateTime", "OwnerId"),
            "User", List.of("Username", "Name", "Email", "IsActive"),
            "Opportunity", List.of("AccountId", "ContactId", "Name", "StageName", "IsWon", "IsClosed", "CloseDate",
                    "Amount", "OwnerId"),
            "CampaignMember", List.of("LeadId", "ContactId", "CampaignId", "Status", "HasResponded"),
            "Campaign", List.of("Name", "Type", "Status"));
    private static final Set<String> SYSTEM_FIELDS = Set.of("Id", "CreatedDate", "LastModifiedDate",
            "SystemModstamp", "IsDeleted", "MasterRecordId");
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private final Clock clock;
    private final Map<String, Map<String, Map<String, Object>>> records = new TreeMap<>();
    private final Map<String, List<String>> customFields = new LinkedHashMap<>();
    private long sequence = 1;
    private ChangeEventLog changes;
    private boolean quiet;

    public SfState(Clock clock, Map<String, List<String>> customFields) {
        this.clock = clock;
        customFields.forEach((type, fields) -> this.customFields.put(type, new ArrayList<>(fields)));
        for (String type : PREFIXES.keySet()) {
            records.put(type, new LinkedHashMap<>());
        }
    }

    /** Records every insert, update and deletion (but seeded history) as a change event of the current transaction. */
    public void publishChangesTo(ChangeEventLog log) {
        this.changes = log;
    }

    /** Runs a seeding step whose records are history, not changes: no change events. */
    public <T> T quietly(java.util.function.Supplier<T> step) {
        boolean was = quiet;
        quiet = true;
        try {
            return step.get();
        } finally {
            quiet = was;
        }
    }

    private void changed(String type, String id, String changeType, Map<String, Object> record,
                         java.util.Collection<String> fields) {
        if (changes != null && !quiet) {
            changes.record(type, id, changeType, record, new java.util.LinkedHashSet<>(fields));
        }
    }

    public Instant now() {
        return clock.instant();
    }

    public boolean knowsObject(String type) {
        return records.containsKey(type);
    }

    /** Whether a field exists on an object (system, standard or custom), ignoring case as SOQL does. */
    public Optional<String> field(String type, String field) {
        for (String known : fields(type)) {
            if (known.equalsIgnoreCase(field)) {
                return Optional.of(known);
            }
        }
        return Optional.empty();
    }

    public List<String> fields(String type) {
        List<String> fields = new ArrayList<>(SYSTEM_FIELDS);
        fields.addAll(STANDARD_FIELDS.getOrDefault(type, List.of()));
        fields.addAll(customFields.getOrDefault(type, List.of()));
        return fields;
    }

    public void addCustomField(String type, String field) {
        customFields.computeIfAbsent(type, k -> new ArrayList<>()).add(field);
    }

    /** A realistic 18-character id: prefix, a counter in base 62, and the case-safe 3-character suffix. */
    public String newId(String type) {
        String prefix = PREFIXES.get(type);
        StringBuilder body = new StringBuilder();
        long n = sequence++;
        for (int i = 0; i < 12; i++) {
            body.insert(0, ALPHABET.charAt((int) (n % 62)));
            n /= 62;
        }
        String id15 = prefix + body;
        return id15 + suffix(id15);
    }

    /** Salesforce's case-insensitive suffix of a 15-character id. */
    static String suffix(String id15) {
        StringBuilder suffix = new StringBuilder();
        for (int chunk = 0; chunk < 3; chunk++) {
            int flags = 0;
            for (int i = 0; i < 5; i++) {
                char c = id15.charAt(chunk * 5 + i);
                if (c >= 'A' && c <= 'Z') {
                    flags |= 1 << i;
                }
            }
            suffix.append("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345".charAt(flags));
        }
        return suffix.toString();
    }

    /** Creates a record at the given instants (a seed keeps its history); returns its id. */
    public String insert(String type, Map<String, Object> values, Instant created, Instant modified) {
        String id = newId(type);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("Id", id);
        record.putAll(values);
        record.put("CreatedDate", created);
        record.put("LastModifiedDate", modified);
        record.put("SystemModstamp", modified);
        record.put("IsDeleted", false);
        records.get(type).put(id, record);
        changed(type, id, "CREATE", record, record.entrySet().stream().filter(e -> e.getValue() != null)
                .map(Map.Entry::getKey).toList());
        return id;
    }

    public Optional<Map<String, Object>> get(String type, String id) {
        return Optional.ofNullable(records.get(type).get(id));
    }

    /** The type of an id by its prefix. */
    public Optional<String> typeOf(String id) {
        if (id == null || id.length() < 3) {
            return Optional.empty();
        }
        return PREFIXES.entrySet().stream().filter(e -> id.startsWith(e.getValue())).map(Map.Entry::getKey)
                .findFirst();
    }

    /** Applies field values and bumps the modification stamps. */
    public void update(String type, String id, Map<String, Object> values) {
        Map<String, Object> record = records.get(type).get(id);
        record.putAll(values);
        Instant now = clock.instant();
        record.put("LastModifiedDate", now);
        record.put("SystemModstamp", now);
        List<String> changedFields = new ArrayList<>(values.keySet());
        changedFields.add("LastModifiedDate");
        changed(type, id, "UPDATE", record, changedFields);
    }

    public void delete(String type, String id) {
        Map<String, Object> record = records.get(type).get(id);
        record.put("IsDeleted", true);
        record.put("SystemModstamp", clock.instant());
        changed(type, id, "DELETE", record, List.of());
    }

    /** Restores a deleted record from the recycle bin. */
    public void undelete(String type, String id) {
        Map<String, Object> record = records.get(type).get(id);
        record.put("IsDeleted", false);
        Instant now = clock.instant();
        record.put("LastModifiedDate", now);
        record.put("SystemModstamp", now);
        changed(type, id, "UNDELETE", record, record.entrySet().stream().filter(e -> e.getValue() != null)
                .map(Map.Entry::getKey).toList());
    }

    /** Merges a victim into a master: the victim is deleted with {@code MasterRecordId} set. */
    public void merge(String type, String masterId, String victimId) {
        Map<String, Object> victim = records.get(type).get(victimId);
        victim.put("MasterRecordId", masterId);
        delete(type, victimId);
        update(type, masterId, Map.of());
    }

    public List<Map<String, Object>> all(String type) {
        return new ArrayList<>(records.get(type).values());
    }

    public int count(String type) {
        return (int) records.get(type).values().stream().filter(r -> !Boolean.TRUE.equals(r.get("IsDeleted")))
                .count();
    }

    public static String canonicalType(String type) {
        for (String known : PREFIXES.keySet()) {
            if (known.equalsIgnoreCase(type)) {
                return known;
            }
        }
        return type.substring(0, 1).toUpperCase(Locale.ROOT) + type.substring(1);
    }
}
