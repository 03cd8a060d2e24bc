package io.leadsync.sandbox;

import io.leadsync.sandbox.hubspot.internal.Industries;

import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generates realistic CRM contacts and engagements, deterministically: the same seed, size and "now" give the same
 * data, value for value. International names (some with accents, some nicknames), companies with web domains,
 * HubSpot industry values, titles across seniorities and personas, phones in national formats, mostly business
 * emails with some free-mail, student and missing ones, HubSpot analytics properties, and about 3% planted
 * duplicates (the same person again with a re-cased or padded email, or a nickname and a personal email). Engagement is skewed: most
 * contacts are quiet, a few are very engaged.
 *
 * <p>Outcomes depend on fit and engagement in a known way, so that training on the synced history can be checked
 * against them: each contact reaches a decision at a day between 100 and 20 days ago; its log-odds of buying are
 * {@value #BASE_LOG_ODDS} + {@value #SENIOR_LOG_ODDS} for a senior title (VP, Director, Head, Chief, CTO, CMO, CEO,
 * Founder, Managing) + {@value #LARGE_COMPANY_LOG_ODDS} for 200 or more employees + {@value #MEETING_LOG_ODDS} per
 * meeting in the 30 days before the decision (at most 3). A buyer becomes a customer 20 to 30 days after deciding:
 * {@code lifecyclestage} {@code customer} and {@code hs_lifecyclestage_customer_date}; no one else is a customer. Reps
 * gave a verdict on about 40% of contacts, {@code lead_quality} {@code good} or {@code bad}, judging by title and
 * company size alone.
 *
 * <p>Contacts who converted ({@code num_conversion_events}) submitted that many marketing forms; the submissions agree
 * with their {@code recent_conversion_*} and {@code first_conversion_*} properties (see {@code withForms}).
 */
public final class SandboxDataGenerator {
    /** The "now" of {@link #generate(int)}: fixed, so the default output never depends on the wall clock. */
    public static final Instant DEFAULT_NOW = Instant.parse("2026-11-01T00:00:00Z");

    private static final String[] FIRST_NAMES = {"James", "Mary", "Robert", "Patricia", "Michael", "Jennifer",
        "William", "Linda", "David", "Elizabeth", "Richard", "Barbara", "Joseph", "Susan", "Thomas", "Jessica",
        "Christopher", "Sarah", "Daniel", "Karen", "Matthew", "Nancy", "Anthony", "Lisa", "Andrew", "Margaret",
        "Joshua", "Emily", "Kevin", "Katherine", "Zoë", "Chloé", "José", "María", "François", "Hélène", "Jürgen",
        "Björn", "Søren", "Ängela", "Łukasz", "Nuño", "Priya", "Arjun", "Ananya", "Rahul", "Wei", "Mei", "Hiroshi",
        "Yuki", "Olumide", "Chidi", "Fatima", "Omar", "Lucas", "Gabriel", "Camila", "Mateus", "Sofia", "Liam",
        "Noah", "Olivia", "Emma", "Ava", "Mia", "Leon", "Finn", "Lena", "Hannah"};
    private static final Map<String, String> NICKNAMES = Map.ofEntries(Map.entry("Robert", "Bob"),
            Map.entry("William", "Bill"), Map.entry("Richard", "Dick"), Map.entry("Elizabeth", "Liz"),
            Map.entry("Katherine", "Kate"), Map.entry("Michael", "Mike"), Map.entry("Christopher", "Chris"),
            Map.entry("Daniel", "Dan"), Map.entry("Matthew", "Matt"), Map.entry("Anthony", "Tony"),
            Map.entry("Andrew", "Andy"), Map.entry("Joshua", "Josh"), Map.entry("Jennifer", "Jen"),
            Map.entry("Margaret", "Maggie"), Map.entry("Joseph", "Joe"), Map.entry("Thomas", "Tom"),
            Map.entry("James", "Jim"), Map.entry("Patricia", "Pat"), Map.entry("Susan", "Sue"),
            Map.entry("Jessica", "Jess"));
    private static final String[] LAST_NAMES = {"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia",
        "Miller", "Davis", "Rodriguez", "Martinez", "Hernández", "López", "Gonzalez", "Wilson", "Anderson",
        "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis",
        "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Dubois", "Lefèvre", "Moreau", "Laurent",
        "Rossi", "Russo", "Bianchi", "Kowalski", "Nowak", "Jansen", "de Vries", "Van den Berg", "O'Brien",
        "Sharma", "Patel", "Singh", "Kumar", "Gupta", "Wang", "Li", "Zhang", "Chen", "Tanaka", "Suzuki", "Silva",
        "Santos", "Oliveira", "Souza", "Okafor", "Adeyemi", "Nguyen", "Kim", "Park", "Andersson", "Johansson",
        "Nielsen", "Hansen"};
    private static final String[] COMPANY_STEMS = {"Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne",
        "Nordwind", "Bluefin", "Cobalt", "Helix", "Quanta", "Vertex", "Lumen", "Orbit", "Pioneer", "Summit",
        "Redwood", "Silverline", "Brightpath", "Northstar", "Ironclad", "Greenleaf", "Skyward", "Tidewater",
        "Keystone", "Crescent", "Falcon", "Meridian", "Atlas", "Zenith", "Polar", "Evergreen", "Granite", "Harbor",
        "Juniper", "Kestrel", "Lighthouse", "Maple", "Nimbus", "Oakridge", "Prism", "Quartz", "Riverbend", "Sable",
        "Terra", "Unity", "Vantage", "Willow", "Yellowstone", "Zephyr"};
    private static final String[] COMPANY_KINDS = {"Analytics", "Software", "Systems", "Labs", "Logistics",
        "Health", "Financial", "Retail", "Media", "Robotics", "Energy", "Consulting", "Cloud", "Security",
        "Bank", "Foods", "Motors", "Learning"};
    private static final String[][] TITLES_BY_PERSONA = {
        {"Software Engineer", "Senior Software Engineer", "Staff Engineer", "Backend Developer", "DevOps Engineer",
            "Engineering Manager", "Director of Engineering", "Head of Platform", "VP Engineering", "CTO"},
        {"Marketing Coordinator", "Content Marketer", "Growth Marketer", "Marketing Manager",
            "Senior Product Marketing Manager", "Director of Demand Generation", "Head of Marketing",
            "VP Marketing", "CMO"},
        {"Sales Development Representative", "Account Executive", "Senior Account Executive", "RevOps Manager",
            "Sales Manager", "Director of Sales", "VP Sales", "Chief Revenue Officer"},
        {"Intern", "Student", "Analyst", "Consultant", "Operations Manager", "Office Manager", "Founder", "CEO",
            "Managing Director", "Procurement Specialist"}};
    private static final String[][] COUNTRIES = {
        // name, tld, weight
        {"United States", "com", "40"}, {"United Kingdom", "co.uk", "12"}, {"Germany", "de", "10"},
        {"France", "fr", "7"}, {"India", "in", "8"}, {"Brazil", "com.br", "6"}, {"Canada", "ca", "6"},
        {"Australia", "com.au", "5"}, {"Netherlands", "nl", "3"}, {"Spain", "es", "3"}};
    private static final String[] FREE_MAIL = {"gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com",
        "gmx.de", "web.de", "proton.me"};
    private static final String[] UNIVERSITIES = {"stanford.edu", "mit.edu", "ox.ac.uk", "tum.de",
        "unimelb.edu.au", "iitb.ac.in"};
    /** The marketing forms (name, HubSpot formType); a conversion's name is its form's. */
    private static final String[][] FORMS = {{"Demo request", "hubspot"}, {"Pricing page", "hubspot"},
        {"Ebook download", "hubspot"}, {"Webinar registration", "hubspot"}, {"Contact us", "hubspot"},
        {"Newsletter signup", "flow"}, {"Free trial signup", "hubspot"}, {"Case study download", "hubspot"}};
    private static final String[] LIFECYCLE = {"subscriber", "lead", "lead", "lead", "marketingqualifiedlead",
        "salesqualifiedlead", "opportunity", "customer"};
    private static final String[] SOURCES = {"ORGANIC_SEARCH", "PAID_SEARCH", "EMAIL_MARKETING", "SOCIAL_MEDIA",
        "REFERRALS", "DIRECT_TRAFFIC", "OFFLINE"};
    private static final String[] OWNERS = {"61000001", "61000002", "61000003", "61000004", "61000005", "61000006"};
    private static final String[] EMAIL_SUBJECTS = {"Re: pricing for %s", "Following up on our call",
        "Quick question about your roadmap", "Re: demo next week?", "Intro: %s x leadsync", "Your trial"};
    private static final String[] MEETING_TITLES = {"Discovery call", "Product demo", "Technical deep dive",
        "Pricing review", "Kick-off"};
    private static final String[] CALL_DISPOSITIONS = {"Connected", "Left voicemail", "No answer", "Busy",
        "Wrong number"};

    static final double BASE_LOG_ODDS = -3.0;
    static final double SENIOR_LOG_ODDS = 1.5;
    static final double LARGE_COMPANY_LOG_ODDS = 1.0;
    static final double MEETING_LOG_ODDS = 1.0;

    private final long seed;

    public SandboxDataGenerator(long seed) {
        this.seed = seed;
    }

    public SandboxData generate(int contacts) {
        return generate(contacts, DEFAULT_NOW);
    }

    /** Generates {@code contacts} contacts (duplicates included) with activity in the 120 days before {@code now}. */
    public SandboxData generate(int contacts, Instant now) {
        if (contacts < 0) {
            throw new IllegalArgumentException("contacts must be >= 0 but was " + contacts);
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<SandboxData.GeneratedContact> people = new ArrayList<>(contacts);
        List<SandboxData.GeneratedEngagement> engagements = new ArrayList<>();
        Map<Integer, Integer> duplicates = new LinkedHashMap<>();
        for (int index = 0; index < contacts; index++) {
            boolean duplicate = index > 10 && random.nextInt(100) < 3;
            SandboxData.GeneratedContact contact;
            if (duplicate) {
                int original = random.nextInt(index);
                contact = duplicateOf(people.get(original), random, now);
                duplicates.put(index, original);
            } else {
                contact = contact(random, now);
            }
            people.add(contact);
            engagements.addAll(engagements(index, contact, random, now));
        }
        List<SandboxData.GeneratedContact> decided = withOutcomes(people, engagements, duplicates, now);
        return withForms(decided, engagements, duplicates, now);
    }

    /**
     * Gives each contact with conversions ({@code num_conversion_events}) that many form submissions, with a random
     * stream of its own (the rest of the data is the same with or without forms): the latest is of the form named by
     * {@code recent_conversion_event_name} at {@code recent_conversion_date}, the others earlier, the earliest sets
     * {@code first_conversion_event_name} and {@code first_conversion_date}. Values are what the person typed: the
     * contact's email (as stored, trimmed), names and company. A planted duplicate copies its original's conversion
     * properties and has no submissions of its own; a contact without an email has none either (HubSpot links a
     * submission to a contact by its email). About one submission in a hundred comes from a person no contact has
     * (a contact deleted since).
     */
    private SandboxData withForms(List<SandboxData.GeneratedContact> people,
                                  List<SandboxData.GeneratedEngagement> engagements, Map<Integer, Integer> duplicates,
                                  Instant now) {
        SplittableRandom random = new SplittableRandom(seed ^ 0xF0C5L);
        Map<String, SandboxData.GeneratedForm> forms = new LinkedHashMap<>();
        for (String[] form : FORMS) {
            forms.put(form[0], new SandboxData.GeneratedForm(java.util.UUID.nameUUIDFromBytes(("form/" + form[0])
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString(), form[0], form[1],
                    now.minus(Duration.ofDays(800)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS)));
        }
        List<SandboxData.GeneratedFormSubmission> submissions = new ArrayList<>();
        List<SandboxData.GeneratedContact> result = new ArrayList<>(people.size());
        Map<Integer, String[]> firstConversions = new LinkedHashMap<>();
        for (int index = 0; index < people.size(); index++) {
            SandboxData.GeneratedContact contact = people.get(index);
            Map<String, String> properties = new LinkedHashMap<>(contact.properties());
            String recent = properties.get("recent_conversion_event_name");
            if (duplicates.containsKey(index) || recent == null) {
                result.add(contact);
                continue;
            }
            int count = Integer.parseInt(properties.getOrDefault("num_conversion_events", "0"));
            Instant latest = Instant.parse(properties.get("recent_conversion_date"));
            List<Instant> times = new ArrayList<>();
            List<String> names = new ArrayList<>();
            times.add(latest);
            names.add(recent);
            for (int i = 1; i < count; i++) {
                Instant at = between(random, contact.createdAt(), latest.minusMillis(1));
                times.add(at.isBefore(latest) ? at : latest.minusMillis(1));
                names.add(FORMS[random.nextInt(FORMS.length)][0]);
            }
            int first = 0;
            for (int i = 1; i < times.size(); i++) {
                if (times.get(i).isBefore(times.get(first))) {
                    first = i;
                }
            }
            properties.put("first_conversion_event_name", names.get(first));
            properties.put("first_conversion_date", times.get(first).toString());
            firstConversions.put(index, new String[] {names.get(first), times.get(first).toString()});
            String email = properties.get("email");
            if (email != null) {
                for (int i = 0; i < times.size(); i++) {
                    submissions.add(submission(forms.get(names.get(i)), times.get(i), email.strip(), properties,
                            index));
                }
            }
            result.add(new SandboxData.GeneratedContact(properties, contact.createdAt(), contact.updatedAt()));
        }
        for (Map.Entry<Integer, Integer> duplicate : duplicates.entrySet()) {
            String[] firstOfOriginal = firstConversions.get(duplicate.getValue());
            SandboxData.GeneratedContact copy = result.get(duplicate.getKey());
            if (firstOfOriginal != null && copy.properties().containsKey("recent_conversion_event_name")) {
                Map<String, String> properties = new LinkedHashMap<>(copy.properties());
                properties.put("first_conversion_event_name", firstOfOriginal[0]);
                properties.put("first_conversion_date", firstOfOriginal[1]);
                result.set(duplicate.getKey(), new SandboxData.GeneratedContact(properties, copy.createdAt(),
                        copy.updatedAt()));
            }
        }
        int strangers = submissions.size() / 100 + (people.isEmpty() ? 0 : 1);
        for (int i = 0; i < strangers; i++) {
            String first = pick(random, FIRST_NAMES);
            String last = pick(random, LAST_NAMES);
            Map<String, String> gone = Map.of("firstname", first, "lastname", last);
            String email = ascii(first).toLowerCase(Locale.ROOT) + ".former" + i + "@" + FREE_MAIL[random.nextInt(
                    FREE_MAIL.length)];
            submissions.add(submission(forms.get(FORMS[random.nextInt(FORMS.length)][0]),
                    now.minus(Duration.ofMinutes(1 + random.nextLong(60L * 24 * 120))), email, gone, -1));
        }
        submissions.sort(java.util.Comparator.comparing(SandboxData.GeneratedFormSubmission::submittedAt));
        return new SandboxData(result, engagements, duplicates, List.copyOf(forms.values()), submissions);
    }

    private static SandboxData.GeneratedFormSubmission submission(SandboxData.GeneratedForm form, Instant at,
                                                                  String email, Map<String, String> person,
                                                                  int contactIndex) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("email", email);
        for (String field : List.of("firstname", "lastname", "company")) {
            if (person.get(field) != null) {
                values.put(field, person.get(field));
            }
        }
        String page = form.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        return new SandboxData.GeneratedFormSubmission(form.id(), at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
                values, "https://www.leadsync-demo.example/" + page, contactIndex);
    }

    /**
     * Decides who bought, as the class documentation says, with a random stream of its own (the rest of the data
     * is the same with or without outcomes). A planted duplicate shares its original's outcome.
     */
    private List<SandboxData.GeneratedContact> withOutcomes(List<SandboxData.GeneratedContact> people,
                                                            List<SandboxData.GeneratedEngagement> engagements,
                                                            Map<Integer, Integer> duplicates, Instant now) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5EEDL);
        Map<Integer, List<Instant>> meetings = new LinkedHashMap<>();
        for (SandboxData.GeneratedEngagement engagement : engagements) {
            if (engagement.objectType().equals("meetings")) {
                meetings.computeIfAbsent(engagement.contactIndex(), k -> new ArrayList<>())
                        .add(Instant.parse(engagement.properties().get("hs_timestamp")));
            }
        }
        List<Map<String, String>> outcomes = new ArrayList<>();
        for (int index = 0; index < people.size(); index++) {
            Map<String, String> properties = people.get(index).properties();
            Instant decision = now.minus(Duration.ofDays(20)).minus(Duration.ofMinutes(random.nextLong(60L * 24 * 80)));
            long recent = meetings.getOrDefault(index, List.of()).stream()
                    .filter(at -> !at.isAfter(decision) && at.isAfter(decision.minus(Duration.ofDays(30)))).count();
            boolean senior = isSenior(properties.get("jobtitle"));
            boolean large = Integer.parseInt(properties.get("numberofemployees")) >= 200;
            double logOdds = BASE_LOG_ODDS + (senior ? SENIOR_LOG_ODDS : 0) + (large ? LARGE_COMPANY_LOG_ODDS : 0)
                    + MEETING_LOG_ODDS * Math.min(recent, 3);
            Map<String, String> outcome = new LinkedHashMap<>();
            Instant bought = decision.plus(Duration.ofHours(24L * 20 + random.nextLong(24L * 10)));
            if (random.nextDouble() < 1 / (1 + Math.exp(-logOdds)) && bought.isBefore(now)) {
                outcome.put("lifecyclestage", "customer");
                outcome.put("hs_lifecyclestage_customer_date",
                        bought.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
            } else if ("customer".equals(properties.get("lifecyclestage"))) {
                outcome.put("lifecyclestage", "opportunity");
            }
            if (random.nextInt(100) < 40) {
                double judged = -0.5 + (senior ? 1.5 : 0) + (large ? 0.5 : 0);
                outcome.put("lead_quality", random.nextDouble() < 1 / (1 + Math.exp(-judged)) ? "good" : "bad");
            }
            outcomes.add(outcome);
        }
        List<SandboxData.GeneratedContact> result = new ArrayList<>(people.size());
        for (int index = 0; index < people.size(); index++) {
            SandboxData.GeneratedContact contact = people.get(index);
            Map<String, String> properties = new LinkedHashMap<>(contact.properties());
            properties.remove("hs_lifecyclestage_customer_date");
            properties.putAll(outcomes.get(duplicates.getOrDefault(index, index)));
            if (!properties.containsKey("hs_lifecyclestage_customer_date")
                    && "customer".equals(properties.get("lifecyclestage"))) {
                properties.put("lifecyclestage", "opportunity");
            }
            result.add(new SandboxData.GeneratedContact(properties, contact.createdAt(), contact.updatedAt()));
        }
        return result;
    }

    private SandboxData.GeneratedContact contact(SplittableRandom random, Instant now) {
        String first = pick(random, FIRST_NAMES);
        String last = pick(random, LAST_NAMES);
        String[] country = weighted(random);
        String stem = pick(random, COMPANY_STEMS);
        String kind = pick(random, COMPANY_KINDS);
        String company = stem + " " + kind + suffix(random, country[0]);
        String domain = ascii(stem + kind).toLowerCase(Locale.ROOT) + "." + country[1];
        int persona = random.nextInt(TITLES_BY_PERSONA.length);
        String title = pick(random, TITLES_BY_PERSONA[persona]);
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("firstname", first);
        properties.put("lastname", last);
        String email = email(random, first, last, domain, title);
        if (email != null) {
            properties.put("email", email);
        }
        properties.put("jobtitle", title);
        properties.put("company", company);
        properties.put("website", random.nextBoolean() ? "https://www." + domain : domain);
        properties.put("country", country[0]);
        properties.put(random.nextInt(4) == 0 ? "mobilephone" : "phone", phone(random, country[0]));
        properties.put("industry", Industries.ALL.get(random.nextInt(Industries.ALL.size())));
        int employees = new int[] {5, 12, 40, 85, 150, 240, 600, 1500, 4200, 12000}[random.nextInt(10)];
        properties.put("numberofemployees", Integer.toString(employees + random.nextInt(employees / 4 + 1)));
        properties.put("annualrevenue", Long.toString((long) employees * (80_000 + random.nextInt(120_000))));
        properties.put("lifecyclestage", pick(random, LIFECYCLE));
        properties.put("hubspot_owner_id", pick(random, OWNERS));
        properties.put("hs_analytics_source", pick(random, SOURCES));
        int visits = geometric(random, 0.35);
        properties.put("hs_analytics_num_visits", Integer.toString(visits));
        properties.put("hs_analytics_num_page_views", Integer.toString(visits * (1 + random.nextInt(4))));
        int conversions = Math.min(visits, geometric(random, 0.6));
        properties.put("num_conversion_events", Integer.toString(conversions));
        Instant created = now.minus(Duration.ofMinutes(random.nextLong(60L * 24 * 720)));
        if (conversions > 0) {
            properties.put("recent_conversion_event_name", FORMS[random.nextInt(FORMS.length)][0]);
            properties.put("recent_conversion_date", between(random, created, now).toString());
        }
        properties.put("hs_email_open", Integer.toString(geometric(random, 0.3)));
        properties.put("hs_email_click", Integer.toString(geometric(random, 0.6)));
        properties.put("hs_email_replied", Integer.toString(geometric(random, 0.8)));
        properties.put("hs_email_optout", random.nextInt(100) < 4 ? "true" : "false");
        properties.put("hs_email_bounce", random.nextInt(100) < 3 ? "1" : "0");
        return new SandboxData.GeneratedContact(properties, created, between(random, created, now));
    }

    /** The same person again: another record with a re-cased or padded email, or a nickname and a personal email. */
    private SandboxData.GeneratedContact duplicateOf(SandboxData.GeneratedContact original, SplittableRandom random,
                                                     Instant now) {
        Map<String, String> properties = new LinkedHashMap<>(original.properties());
        String email = properties.get("email");
        switch (random.nextInt(3)) {
            case 0 -> {
                if (email != null) {
                    properties.put("email", email.toUpperCase(Locale.ROOT));
                }
            }
            case 1 -> {
                if (email != null) {
                    properties.put("email", " " + email + " ");
                }
            }
            default -> {
                // a nickname and a personal address: only probabilistic matching (name, company, phone) finds it
                String nickname = NICKNAMES.getOrDefault(properties.get("firstname"), properties.get("firstname"));
                properties.put("firstname", nickname);
                properties.put("email", ascii(nickname + "." + properties.get("lastname")).toLowerCase(Locale.ROOT)
                        + "@gmail.com");
            }
        }
        properties.remove("hs_analytics_num_visits");
        properties.put("hs_analytics_num_page_views", Integer.toString(geometric(random, 0.5)));
        Instant created = between(random, original.createdAt(), now);
        return new SandboxData.GeneratedContact(properties, created, between(random, created, now));
    }

    private List<SandboxData.GeneratedEngagement> engagements(int index, SandboxData.GeneratedContact contact,
                                                              SplittableRandom random, Instant now) {
        int roll = random.nextInt(100);
        // buyers in an active evaluation: senior, at a company domain, recent meetings and replies
        boolean evaluating = isSenior(contact.properties().get("jobtitle")) && random.nextInt(100) < 35;
        int count = evaluating ? 4 + random.nextInt(6)
                : roll < 60 ? random.nextInt(2) : roll < 90 ? 2 + random.nextInt(4) : 6 + random.nextInt(15);
        List<SandboxData.GeneratedEngagement> engagements = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Instant at = now.minus(Duration.ofMinutes(1 + random.nextLong(60L * 24 * (evaluating ? 21 : 120))));
            if (at.isBefore(contact.createdAt())) {
                at = between(random, contact.createdAt(), now);
            }
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("hs_timestamp", at.toString());
            int kind = evaluating ? 40 + random.nextInt(40) : random.nextInt(100);
            String type;
            if (kind < 60) {
                type = "emails";
                int direction = random.nextInt(100);
                if (evaluating) {
                    direction = 70 + random.nextInt(25);
                }
                properties.put("hs_email_direction", direction < 70 ? "EMAIL" : direction < 95 ? "INCOMING_EMAIL"
                        : "FORWARDED_EMAIL");
                properties.put("hs_email_status", direction < 70 && random.nextInt(100) < 5 ? "BOUNCED" : "SENT");
                properties.put("hs_email_subject", String.format(pick(random, EMAIL_SUBJECTS),
                        contact.properties().getOrDefault("company", "your team")));
            } else if (kind < 75) {
                type = "meetings";
                properties.put("hs_meeting_title", pick(random, MEETING_TITLES));
                properties.put("hs_meeting_start_time", at.toString());
                properties.put("hs_meeting_end_time", at.plus(Duration.ofMinutes(30)).toString());
                int outcome = random.nextInt(100);
                properties.put("hs_meeting_outcome", outcome < 65 ? "COMPLETED" : outcome < 85 ? "SCHEDULED"
                        : outcome < 93 ? "NO_SHOW" : "CANCELED");
            } else {
                type = "calls";
                properties.put("hs_call_title", "Call with " + contact.properties().get("firstname"));
                properties.put("hs_call_direction", random.nextInt(100) < 80 ? "OUTBOUND" : "INBOUND");
                String disposition = pick(random, CALL_DISPOSITIONS);
                properties.put("hs_call_disposition", disposition);
                properties.put("hs_call_duration", Integer.toString("Connected".equals(disposition)
                        ? 60_000 + random.nextInt(1_500_000) : random.nextInt(40_000)));
            }
            engagements.add(new SandboxData.GeneratedEngagement(type, properties, index));
        }
        return engagements;
    }

    private static boolean isSenior(String title) {
        return title != null && title.matches("(?i).*\\b(VP|Director|Head|Chief|CTO|CMO|CEO|Founder|Managing)\\b.*");
    }

    private static String email(SplittableRandom random, String first, String last, String domain, String title) {
        String local = ascii(first).toLowerCase(Locale.ROOT);
        String family = ascii(last).toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
        int roll = random.nextInt(100);
        if ("Student".equals(title) || "Intern".equals(title) || roll < 3) {
            return local + "." + family + "@" + UNIVERSITIES[random.nextInt(UNIVERSITIES.length)];
        }
        if (roll < 5) {
            return null;
        }
        if (roll < 25) {
            return local + (random.nextBoolean() ? "." + family : family + random.nextInt(100)) + "@"
                    + FREE_MAIL[random.nextInt(FREE_MAIL.length)];
        }
        return switch (random.nextInt(3)) {
            case 0 -> local + "." + family + "@" + domain;
            case 1 -> local.charAt(0) + family + "@" + domain;
            default -> local + "@" + domain;
        };
    }

    private static String phone(SplittableRandom random, String country) {
        int a = 200 + random.nextInt(700);
        int b = 100 + random.nextInt(900);
        int c = 1000 + random.nextInt(9000);
        return switch (country) {
            case "United States", "Canada" -> random.nextBoolean() ? String.format("+1 (%d) 555-%04d", a, c)
                    : String.format("%d-555-%04d", a, c);
            case "United Kingdom" -> String.format("+44 20 7%03d %04d", b, c);
            case "Germany" -> random.nextBoolean() ? String.format("+49 30 %d%d", b, c)
                    : String.format("030 %d %d", b, c);
            case "France" -> String.format("+33 1 %02d %02d %02d %02d", random.nextInt(100), random.nextInt(100),
                    random.nextInt(100), random.nextInt(100));
            case "India" -> String.format("+91 98%03d %05d", b, random.nextInt(100_000));
            case "Brazil" -> String.format("+55 11 9%04d-%04d", c, 1000 + random.nextInt(9000));
            case "Australia" -> String.format("+61 2 %04d %04d", c, 1000 + random.nextInt(9000));
            case "Netherlands" -> String.format("+31 20 %03d %04d", b, c);
            default -> String.format("+34 91 %03d %02d %02d", b, random.nextInt(100), random.nextInt(100));
        };
    }

    private static String suffix(SplittableRandom random, String country) {
        return switch (country) {
            case "Germany" -> random.nextBoolean() ? " GmbH" : " AG";
            case "France" -> " SAS";
            case "United Kingdom" -> " Ltd";
            case "Netherlands" -> " B.V.";
            case "Brazil" -> " Ltda.";
            case "India" -> " Pvt. Ltd.";
            default -> random.nextBoolean() ? " Inc." : "";
        };
    }

    private static String[] weighted(SplittableRandom random) {
        int total = 0;
        for (String[] country : COUNTRIES) {
            total += Integer.parseInt(country[2]);
        }
        int roll = random.nextInt(total);
        for (String[] country : COUNTRIES) {
            roll -= Integer.parseInt(country[2]);
            if (roll < 0) {
                return country;
            }
        }
        return COUNTRIES[0];
    }

    private static int geometric(SplittableRandom random, double stop) {
        int count = 0;
        while (random.nextDouble() > stop && count < 200) {
            count++;
        }
        return count;
    }

    private static Instant between(SplittableRandom random, Instant from, Instant to) {
        long span = Math.max(1, Duration.between(from, to).toMillis());
        return from.plusMillis(random.nextLong(span)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    private static String pick(SplittableRandom random, String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static String ascii(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "").replace("ø", "o")
                .replace("Ø", "O").replace("ł", "l").replace("Ł", "L").replace("'", "").replace(" ", "");
    }
}
