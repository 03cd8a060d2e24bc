package io.leadsync.sandbox;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Labelled person records for measuring identity resolution, deterministically from a seed.
 *
 * <p>{@link #crmExport} writes what a company's CRMs hold about its market, as an export of Salesforce leads and
 * contacts, HubSpot contacts and Mixpanel profiles would show it: people at companies of every size (most with one or
 * two people on file, a few with hundreds), names with the frequencies of real names (a few very common, a long
 * tail), each person in one to five records across the systems. The records carry what those systems carry, with
 * what real exports show: work and personal addresses, each company's own address convention, nicknames, names in
 * upper or lower case, full names typed into the first-name field, placeholder values ({@code [not provided]},
 * {@code Unknown}), phones in every format, the company's switchboard instead of a direct line, shared role inboxes
 * ({@code sales@}, {@code info@}), relatives who share a surname, a household address or a company, people who
 * changed jobs, analytics profiles with nothing but an email, typos, Gmail dots and tags. Each record names its true
 * person ({@code entity_id}) and the one difficulty it was made to carry ({@code kind}): {@code switchboard},
 * {@code role-inbox}, {@code family}, {@code work-personal}, {@code nameless}, {@code typo}, {@code full-name},
 * {@code gmail-variant}, or {@code plain}.
 *
 * <p>{@link #namesAndBirthDates} writes data shaped like the RecordLinkage package's RLdata500: German first and
 * family names (some with a second component) and birth dates only, about a tenth of them again with one error.
 *
 * <p>{@code java -cp leadsync.jar io.leadsync.sandbox.IdentityDataGenerator --kind crm --records 32000 --seed 7
 * --out crm.csv}
 */
public final class IdentityDataGenerator {
    /** The columns of {@link #crmExport}. */
    public static final List<String> CRM_COLUMNS = List.of("source", "record_id", "first_name", "last_name", "email",
            "phone", "company", "website", "title", "country", "entity_id", "kind");
    /** The columns of {@link #namesAndBirthDates}, as RLdata500 names them (plus the truth). */
    public static final List<String> NAMES_AND_BIRTH_DATES_COLUMNS = List.of("rec_id", "fname_c1", "fname_c2",
            "lname_c1", "lname_c2", "by", "bm", "bd", "ent_id");

    /** One labelled record: its column values (missing ones absent). */
    public record Row(Map<String, String> values) {
        public Row {
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }

        public String get(String column) {
            return values.get(column);
        }
    }

    private static final String[] FIRST_NAMES = {"James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael",
        "Linda", "William", "Elizabeth", "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
        "Christopher", "Karen", "Charles", "Lisa", "Daniel", "Nancy", "Matthew", "Betty", "Anthony", "Margaret", "Mark",
        "Sandra", "Donald", "Ashley", "Steven", "Kimberly", "Paul", "Emily", "Andrew", "Donna", "Joshua", "Michelle",
        "Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Melissa", "George", "Deborah", "Timothy", "Stephanie",
        "Ronald", "Rebecca", "Edward", "Sharon", "Jason", "Laura", "Jeffrey", "Cynthia", "Ryan", "Kathleen", "Jacob",
        "Amy", "Gary", "Angela", "Nicholas", "Shirley", "Eric", "Anna", "Jonathan", "Brenda", "Stephen", "Pamela",
        "Larry", "Emma", "Justin", "Nicole", "Scott", "Helen", "Brandon", "Samantha", "Benjamin", "Katherine",
        "Samuel", "Christine", "Gregory", "Debra", "Alexander", "Rachel", "Frank", "Carolyn", "Patrick", "Janet",
        "Raymond", "Catherine", "Jack", "Maria", "Dennis", "Heather", "Jerry", "Diane", "Tyler", "Ruth", "Aaron",
        "Julie", "Jose", "Olivia", "Adam", "Joyce", "Nathan", "Virginia", "Henry", "Victoria", "Douglas", "Kelly",
        "Zachary", "Lauren", "Peter", "Christina", "Kyle", "Joan", "Ethan", "Evelyn", "Walter", "Judith", "Noah",
        "Megan", "Jeremy", "Andrea", "Christian", "Cheryl", "Keith", "Hannah", "Roger", "Jacqueline", "Terry",
        "Martha", "Gerald", "Gloria", "Harold", "Teresa", "Sean", "Ann", "Austin", "Sara", "Carl", "Madison",
        "Arthur", "Frances", "Lawrence", "Kathryn", "Dylan", "Janice", "Jesse", "Jean", "Jordan", "Abigail", "Bryan",
        "Alice", "Billy", "Julia", "Joe", "Judy", "Bruce", "Sophia", "Gabriel", "Grace", "Logan", "Denise", "Albert",
        "Amber", "Willie", "Doris", "Alan", "Marilyn", "Juan", "Danielle", "Wayne", "Beverly", "Elijah", "Isabella",
        "Randy", "Theresa", "Roy", "Diana", "Vincent", "Natalie", "Ralph", "Brittany", "Eugene", "Charlotte",
        "Russell", "Marie", "Bobby", "Kayla", "Mason", "Alexis", "Philip", "Lori", "Louis", "Priya", "Rahul", "Ananya",
        "Arjun", "Vikram", "Deepa", "Wei", "Mei", "Li", "Jun", "Hiroshi", "Yuki", "Kenji", "Sakura", "Min-jun",
        "Ji-woo", "Olumide", "Chidi", "Ngozi", "Fatima", "Omar", "Ahmed", "Aisha", "Mohammed", "Yusuf", "Lucas",
        "Gabriela", "Mateus", "Camila", "Sofia", "Diego", "Valentina", "Santiago", "Lucía", "José", "María",
        "François", "Hélène", "Zoë", "Chloé", "Jürgen", "Björn", "Søren", "Łukasz", "Agnieszka", "Katarzyna",
        "Piotr", "Anders", "Ingrid", "Lars", "Sven", "Astrid", "Klaus", "Stefan", "Anja", "Lena", "Finn", "Leon",
        "Mia", "Noor", "Sanne", "Daan", "Thijs", "Giulia", "Marco", "Francesca", "Luca", "Dmitri", "Olga", "Ivan",
        "Natalia", "Siobhan", "Niamh", "Aoife", "Ciaran", "Rhys", "Ffion"};
    private static final String[] LAST_NAMES = {"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller",
        "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
        "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez",
        "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill",
        "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
        "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart",
        "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson",
        "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson", "Watson", "Brooks", "Chavez",
        "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes", "Price", "Alvarez", "Castillo", "Sanders",
        "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez", "Powell", "Jenkins", "Perry", "Russell", "Sullivan",
        "Bell", "Coleman", "Butler", "Henderson", "Barnes", "Gonzales", "Fisher", "Vasquez", "Simmons", "Romero",
        "Jordan", "Patterson", "Alexander", "Hamilton", "Graham", "Reynolds", "Griffin", "Wallace", "Moreno", "West",
        "Cole", "Hayes", "Bryant", "Herrera", "Gibson", "Ellis", "Tran", "Medina", "Aguilar", "Stevens", "Murray",
        "Ford", "Castro", "Marshall", "Owens", "Harrison", "Fernandez", "McDonald", "Woods", "Washington", "Kennedy",
        "Wells", "Vargas", "Henry", "Chen", "Freeman", "Webb", "Tucker", "Guzman", "Burns", "Crawford", "Olson",
        "Simpson", "Porter", "Hunter", "Gordon", "Mendez", "Silva", "Shaw", "Snyder", "Mason", "Dixon", "Munoz",
        "Hunt", "Hicks", "Holmes", "Palmer", "Wagner", "Black", "Robertson", "Boyd", "Rose", "Stone", "Salazar", "Fox",
        "Warren", "Mills", "Meyer", "Rice", "Schmidt", "Garza", "Daniels", "Ferguson", "Nichols", "Stephens", "Soto",
        "Weaver", "Ryan", "Gardner", "Payne", "Grant", "Dunn", "Kelley", "Spencer", "Hawkins", "Arnold", "Pierce",
        "Vazquez", "Hansen", "Peters", "Santos", "Hart", "Bradley", "Knight", "Elliott", "Cunningham", "Duncan",
        "Armstrong", "Hudson", "Carroll", "Lane", "Riley", "Andrews", "Alvarado", "Ray", "Delgado", "Berry", "Perkins",
        "Hoffman", "Johnston", "Matthews", "Pena", "Richards", "Contreras", "Willis", "Carpenter", "Lawrence",
        "Sandoval", "Müller", "Schneider", "Fischer", "Weber", "Schulz", "Becker", "Hoffmann", "Koch", "Richter",
        "Wolf", "Dubois", "Lefèvre", "Moreau", "Laurent", "Girard", "Bonnet", "Rossi", "Russo", "Ferrari", "Esposito",
        "Bianchi", "Romano", "Colombo", "Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Jansen", "de Vries",
        "van den Berg", "Bakker", "Visser", "O'Brien", "O'Connor", "McCarthy", "Byrne", "Sharma", "Singh", "Kumar",
        "Gupta", "Reddy", "Iyer", "Wang", "Li", "Zhang", "Liu", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Tanaka",
        "Suzuki", "Takahashi", "Watanabe", "Sato", "Park", "Choi", "Jung", "Oliveira", "Souza", "Pereira", "Costa",
        "Okafor", "Adeyemi", "Okonkwo", "Mensah", "Haddad", "Khan", "Ali", "Hussain", "Andersson", "Johansson",
        "Nilsson", "Larsen", "Nielsen", "Jensen", "Virtanen", "Novak", "Horvat", "Popescu", "Ivanov", "Petrov"};
    private static final String[] SYLLABLES = {"ka", "ro", "mi", "tan", "sel", "ber", "vo", "lin", "dra", "mo", "ne",
        "gar", "sto", "pe", "wil", "son", "ha", "ri", "zu", "lo", "fer", "chi", "an", "da", "mar", "ton", "bel", "ko"};
    private static final Map<String, String[]> NICKNAMES = Map.ofEntries(
            Map.entry("Robert", new String[] {"Bob", "Rob", "Bobby"}), Map.entry("William", new String[] {"Bill", "Will"}),
            Map.entry("Richard", new String[] {"Rick", "Rich", "Dick"}), Map.entry("Elizabeth", new String[] {"Liz", "Beth"}),
            Map.entry("Katherine", new String[] {"Kate", "Katie"}), Map.entry("Michael", new String[] {"Mike"}),
            Map.entry("Christopher", new String[] {"Chris"}), Map.entry("Daniel", new String[] {"Dan", "Danny"}),
            Map.entry("Matthew", new String[] {"Matt"}), Map.entry("Anthony", new String[] {"Tony"}),
            Map.entry("Andrew", new String[] {"Andy", "Drew"}), Map.entry("Joshua", new String[] {"Josh"}),
            Map.entry("Jennifer", new String[] {"Jen", "Jenny"}), Map.entry("Margaret", new String[] {"Maggie", "Meg"}),
            Map.entry("Joseph", new String[] {"Joe"}), Map.entry("Thomas", new String[] {"Tom"}),
            Map.entry("James", new String[] {"Jim", "Jamie"}), Map.entry("Patricia", new String[] {"Pat", "Trish"}),
            Map.entry("Susan", new String[] {"Sue"}), Map.entry("Jessica", new String[] {"Jess"}),
            Map.entry("Nicholas", new String[] {"Nick"}), Map.entry("Samuel", new String[] {"Sam"}),
            Map.entry("Samantha", new String[] {"Sam"}), Map.entry("Alexander", new String[] {"Alex"}),
            Map.entry("Benjamin", new String[] {"Ben"}), Map.entry("Jonathan", new String[] {"Jon"}),
            Map.entry("Timothy", new String[] {"Tim"}), Map.entry("Stephen", new String[] {"Steve"}),
            Map.entry("Steven", new String[] {"Steve"}), Map.entry("Edward", new String[] {"Ed", "Ted"}),
            Map.entry("Gregory", new String[] {"Greg"}), Map.entry("Kenneth", new String[] {"Ken"}),
            Map.entry("Rebecca", new String[] {"Becky"}), Map.entry("Deborah", new String[] {"Deb"}),
            Map.entry("Zachary", new String[] {"Zach"}), Map.entry("Lawrence", new String[] {"Larry"}),
            Map.entry("Christina", new String[] {"Tina"}), Map.entry("Victoria", new String[] {"Vicky", "Tori"}),
            Map.entry("Abigail", new String[] {"Abby"}), Map.entry("Jacob", new String[] {"Jake"}),
            Map.entry("Nathan", new String[] {"Nate"}), Map.entry("Douglas", new String[] {"Doug"}),
            Map.entry("Pamela", new String[] {"Pam"}), Map.entry("Raymond", new String[] {"Ray"}),
            Map.entry("Gabriel", new String[] {"Gabe"}), Map.entry("Kimberly", new String[] {"Kim"}));
    private static final String[] COMPANY_STEMS = {"Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne",
        "Nordwind", "Bluefin", "Cobalt", "Helix", "Quanta", "Vertex", "Lumen", "Orbit", "Pioneer", "Summit", "Redwood",
        "Silverline", "Brightpath", "Northstar", "Ironclad", "Greenleaf", "Skyward", "Tidewater", "Keystone",
        "Crescent", "Falcon", "Meridian", "Atlas", "Zenith", "Polar", "Evergreen", "Granite", "Harbor", "Juniper",
        "Kestrel", "Lighthouse", "Maple", "Nimbus", "Oakridge", "Prism", "Quartz", "Riverbend", "Sable", "Terra",
        "Unity", "Vantage", "Willow", "Yellowstone", "Zephyr", "Apex", "Beacon", "Cascade", "Delta", "Echo", "Fusion",
        "Gemini", "Horizon", "Insight", "Jupiter", "Kinetic", "Legacy", "Momentum", "Nova", "Optimum", "Paragon",
        "Quest", "Radiant", "Sterling", "Trident", "Ultra", "Vista", "Westwind", "Xenon", "Yonder", "Zodiac"};
    private static final String[] COMPANY_KINDS = {"Analytics", "Software", "Systems", "Labs", "Logistics", "Health",
        "Financial", "Retail", "Media", "Robotics", "Energy", "Consulting", "Cloud", "Security", "Bank", "Foods",
        "Motors", "Learning", "Partners", "Group", "Technologies", "Solutions", "Capital", "Insurance", "Pharma"};
    private static final String[][] COUNTRIES = {{"United States", "US", "com", "40"}, {"United Kingdom", "GB", "co.uk",
        "12"}, {"Germany", "DE", "de", "10"}, {"France", "FR", "fr", "7"}, {"India", "IN", "in", "8"},
        {"Brazil", "BR", "com.br", "6"}, {"Canada", "CA", "ca", "6"}, {"Australia", "AU", "com.au", "5"},
        {"Netherlands", "NL", "nl", "3"}, {"Spain", "ES", "es", "3"}};
    private static final String[] TITLES = {"Software Engineer", "Senior Software Engineer", "Engineering Manager",
        "Director of Engineering", "VP Engineering", "CTO", "Marketing Manager", "Marketing Coordinator",
        "Head of Marketing", "VP Marketing", "CMO", "Account Executive", "Sales Manager", "Director of Sales",
        "VP Sales", "RevOps Manager", "Operations Manager", "Office Manager", "Analyst", "Consultant", "Founder",
        "CEO", "Managing Director", "Procurement Specialist", "Product Manager", "Data Scientist", "IT Manager",
        "HR Manager", "Finance Director", "Customer Success Manager"};
    private static final String[] FREE_MAIL = {"gmail.com", "gmail.com", "gmail.com", "yahoo.com", "outlook.com",
        "hotmail.com", "icloud.com", "aol.com", "gmx.de", "web.de", "proton.me"};
    private static final String[] ROLE_INBOXES = {"info", "sales", "hello", "contact", "office", "marketing", "team",
        "admin", "support"};
    private static final String[] EMAIL_CONVENTIONS = {"first.last", "first.last", "first.last", "first.last", "flast",
        "flast", "flast", "first", "firstl", "first_last", "lastf", "f.last"};
    private static final String[] PLACEHOLDER_LAST_NAMES = {"Unknown", "[not provided]", "-", "N/A"};
    private static final String[] PLACEHOLDER_COMPANIES = {"[not provided]", "N/A", "Self", "None", "Unknown",
        "Self-employed"};
    private static final String[] SOURCES = {"salesforce-lead", "salesforce-contact", "hubspot-contact",
        "mixpanel-profile"};

    private final long seed;

    public IdentityDataGenerator(long seed) {
        this.seed = seed;
    }

    private record Company(String name, String domain, String[] country, String switchboard, String convention) {
    }

    private static final class PersonFacts {
        String first;
        String nickname;
        String last;
        Company company;
        Company formerCompany;
        String workEmail;
        String formerEmail;
        String personalEmail;
        String directPhone;
        String title;
        String[] country;
        boolean family;
        String householdEmail;
    }

    /** About {@code records} CRM records (the last person's records may pass the number by a few). */
    public List<Row> crmExport(int records) {
        List<Row> rows = new ArrayList<>(records + 8);
        crmExport(records, rows::add);
        return rows;
    }

    /**
     * The same records as {@link #crmExport(int)}, handed over one at a time as they are made, so that millions can
     * be streamed without holding them.
     */
    public void crmExport(int records, java.util.function.Consumer<Row> sink) {
        if (records < 1) {
            throw new IllegalArgumentException("records must be at least 1, got " + records);
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Company> companies = new ArrayList<>();
        Set<String> domains = new HashSet<>();
        int companyCount = Math.max(1, records / 6);
        for (int i = 0; i < companyCount; i++) {
            companies.add(company(random, domains));
        }
        int[] people = {0};
        int made = 0;
        Map<String, Integer> perSource = new HashMap<>();
        Map<String, Set<String>> localsAtDomain = new HashMap<>();
        while (made < records) {
            PersonFacts person = person(random, companies, localsAtDomain);
            int entity = people[0]++;
            int count = recordCount(random);
            List<String> sources = sourcesFor(random, count);
            boolean workUsed = false;
            for (String source : sources) {
                Row row = record(random, person, source, entity, workUsed, perSource);
                workUsed |= person.workEmail != null && person.workEmail.equals(row.get("email"));
                sink.accept(row);
                made++;
            }
            if (person.family && random.nextInt(100) < 70) {
                PersonFacts relative = relative(random, person, localsAtDomain);
                int relativeEntity = people[0]++;
                for (String source : sourcesFor(random, 1 + random.nextInt(2))) {
                    sink.accept(record(random, relative, source, relativeEntity, false, perSource));
                    made++;
                }
            }
        }
    }

    private Company company(SplittableRandom random, Set<String> domains) {
        String[] country = weightedCountry(random);
        String stem = pick(random, COMPANY_STEMS);
        String kind = pick(random, COMPANY_KINDS);
        String name = stem + " " + kind;
        String domain = ascii(stem + kind).toLowerCase(Locale.ROOT) + "." + country[2];
        int n = 2;
        while (!domains.add(domain)) {
            String city = pick(random, new String[] {"North", "West", "Bay", "Metro", "Global", "United", "First"});
            name = city + " " + stem + " " + kind;
            domain = ascii(city + stem + kind).toLowerCase(Locale.ROOT) + (n++ > 2 ? n : "") + "." + country[2];
        }
        String switchboard = random.nextInt(100) < 70 ? phone(random, country[1]) : null;
        return new Company(name, domain, country, switchboard, pick(random, EMAIL_CONVENTIONS));
    }

    /** Company sizes on file follow a long tail: most one or two people, a few hundreds. */
    private static Company employer(SplittableRandom random, List<Company> companies) {
        int roll = random.nextInt(100);
        int span = companies.size();
        if (roll < 25) {
            return companies.get(random.nextInt(Math.max(1, span / 100)));
        }
        if (roll < 50) {
            return companies.get(random.nextInt(Math.max(1, span / 10)));
        }
        return companies.get(random.nextInt(span));
    }

    private PersonFacts person(SplittableRandom random, List<Company> companies,
                               Map<String, Set<String>> localsAtDomain) {
        PersonFacts person = new PersonFacts();
        person.first = zipf(random, FIRST_NAMES);
        person.last = random.nextInt(100) < 25 ? rareSurname(random) : zipf(random, LAST_NAMES);
        String[] nicknames = NICKNAMES.get(person.first);
        person.nickname = nicknames != null && random.nextInt(100) < 60 ? pick(random, nicknames) : null;
        person.country = weightedCountry(random);
        if (random.nextInt(100) < 92) {
            person.company = employer(random, companies);
            person.country = person.company.country();
            person.workEmail = workEmail(random, person.first, person.last, person.company, localsAtDomain);
            if (random.nextInt(100) < 12) {
                person.formerCompany = employer(random, companies);
                if (person.formerCompany != person.company) {
                    person.formerEmail = workEmail(random, person.first, person.last, person.formerCompany,
                            localsAtDomain);
                } else {
                    person.formerCompany = null;
                }
            }
        }
        if (person.company == null || random.nextInt(100) < 55) {
            person.personalEmail = personalEmail(random, person.first, person.nickname, person.last, localsAtDomain);
        }
        if (random.nextInt(100) < 55) {
            person.directPhone = phone(random, person.country[1]);
        }
        person.title = pick(random, TITLES);
        person.family = random.nextInt(100) < 4;
        return person;
    }

    /** A relative on file too: the same surname, often the same household address or phone, sometimes the company. */
    private PersonFacts relative(SplittableRandom random, PersonFacts person,
                                 Map<String, Set<String>> localsAtDomain) {
        PersonFacts relative = new PersonFacts();
        do {
            relative.first = zipf(random, FIRST_NAMES);
        } while (relative.first.equals(person.first));
        relative.last = person.last;
        relative.country = person.country;
        relative.family = true;
        person.family = true;
        relative.title = pick(random, TITLES);
        int roll = random.nextInt(100);
        if (roll < 45 && person.company != null) {
            relative.company = person.company;
            relative.workEmail = workEmail(random, relative.first, relative.last, relative.company, localsAtDomain);
        }
        if (roll >= 30) {
            String local = "the" + ascii(person.last).toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "") + "s"
                    + (random.nextBoolean() ? random.nextInt(100) : "");
            String household = mailbox(local, pick(random, FREE_MAIL), localsAtDomain);
            relative.householdEmail = household;
            person.householdEmail = household;
        }
        relative.directPhone = random.nextInt(100) < 40 && person.directPhone != null ? person.directPhone
                : random.nextInt(100) < 50 ? phone(random, relative.country[1]) : null;
        if (relative.company == null && relative.householdEmail == null) {
            relative.personalEmail = personalEmail(random, relative.first, null, relative.last, localsAtDomain);
        }
        return relative;
    }

    private static int recordCount(SplittableRandom random) {
        int roll = random.nextInt(100);
        return roll < 50 ? 1 : roll < 76 ? 2 : roll < 90 ? 3 : roll < 97 ? 4 : 5;
    }

    private static List<String> sourcesFor(SplittableRandom random, int count) {
        List<String> sources = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int roll = random.nextInt(100);
            sources.add(roll < 28 ? SOURCES[0] : roll < 50 ? SOURCES[1] : roll < 80 ? SOURCES[2] : SOURCES[3]);
        }
        return sources;
    }

    /** One record of a person in one system, with what that system and its users make of it. */
    private Row record(SplittableRandom random, PersonFacts person, String source, int entity, boolean workUsed,
                       Map<String, Integer> perSource) {
        int number = perSource.merge(source, 1, Integer::sum);
        Map<String, String> row = new LinkedHashMap<>();
        row.put("source", source);
        row.put("record_id", recordId(source, number));
        String kind = "plain";
        boolean analytics = source.equals("mixpanel-profile");
        boolean hubspot = source.equals("hubspot-contact");
        boolean salesforce = source.startsWith("salesforce");

        // email: work, personal, former job's, household, role inbox
        String email;
        int emailRoll = random.nextInt(100);
        if (person.company != null && emailRoll < (analytics ? 45 : 72) || person.personalEmail == null
                && person.householdEmail == null && person.company != null) {
            email = person.workEmail;
        } else if (person.householdEmail != null && emailRoll < 85) {
            email = person.householdEmail;
        } else {
            email = person.personalEmail != null ? person.personalEmail : person.householdEmail;
        }
        if (person.formerEmail != null && random.nextInt(100) < 35) {
            email = person.formerEmail;
        }
        boolean roleInbox = false;
        if (!analytics && person.company != null && random.nextInt(100) < 3) {
            email = pick(random, ROLE_INBOXES) + "@" + person.company.domain();
            roleInbox = true;
        }
        if (!hubspot && !analytics && random.nextInt(100) < 6) {
            email = null;
        }

        // names
        String first = person.nickname != null && random.nextInt(100) < 35 ? person.nickname : person.first;
        String last = person.last;
        boolean nameless = email != null && (analytics ? random.nextInt(100) < 55 : hubspot && random.nextInt(100) < 8);
        boolean fullName = false;
        if (nameless) {
            first = null;
            last = null;
        } else if (analytics && random.nextInt(100) < 55 || !salesforce && random.nextInt(100) < 4) {
            first = first + " " + last;
            last = null;
            fullName = true;
        } else if (hubspot && random.nextInt(100) < 10) {
            last = null;
        }
        if (salesforce && last == null && !fullName) {
            last = pick(random, PLACEHOLDER_LAST_NAMES);
        }
        if (first != null && random.nextInt(100) < 4) {
            first = random.nextBoolean() ? first.toUpperCase(Locale.ROOT) : first.toLowerCase(Locale.ROOT);
            last = last == null ? null : random.nextBoolean() ? last.toUpperCase(Locale.ROOT) : last.toLowerCase(Locale.ROOT);
        }
        if (first != null && random.nextInt(100) < 10) {
            first = withoutAccents(first);
            last = last == null ? null : withoutAccents(last);
        }

        // typos and provider variants of the email, typos in names
        boolean typo = false;
        boolean gmailVariant = false;
        if (email != null && !roleInbox && random.nextInt(100) < 3) {
            email = typo(random, email);
            typo = true;
        } else if (last != null && !fullName && random.nextInt(100) < 3 && last.length() > 3) {
            last = typo(random, last);
            typo = true;
        } else if (first != null && !fullName && random.nextInt(100) < 1 && first.length() > 3) {
            first = typo(random, first);
            typo = true;
        }
        if (email != null && email.endsWith("@gmail.com") && random.nextInt(100) < 25) {
            String local = email.substring(0, email.indexOf('@'));
            email = (local.contains(".") ? local.replace(".", "") : local.length() > 4
                    ? local.substring(0, 3) + "." + local.substring(3) : local)
                    + (random.nextInt(100) < 40 ? "+" + pick(random, new String[] {"news", "crm", "work", "promo"}) : "")
                    + (random.nextBoolean() ? "@gmail.com" : "@googlemail.com");
            gmailVariant = true;
        }
        if (email != null && random.nextInt(100) < 8) {
            email = random.nextBoolean() ? email.toUpperCase(Locale.ROOT)
                    : Character.toUpperCase(email.charAt(0)) + email.substring(1);
        }

        // phone: direct, switchboard, home, none; in the formats people type
        String phone = null;
        boolean switchboard = false;
        int phoneRoll = random.nextInt(100);
        int phoneShare = analytics ? 5 : hubspot ? 35 : 70;
        if (phoneRoll < phoneShare) {
            boolean direct = person.directPhone != null
                    && (person.company == null || person.company.switchboard() == null || random.nextInt(100) < 55);
            if (direct) {
                phone = person.directPhone;
            } else if (person.company != null && person.company.switchboard() != null) {
                phone = person.company.switchboard();
                switchboard = true;
            }
            if (phone != null) {
                phone = format(random, phone);
            }
        }

        // company, website, title, country
        Company company = email != null && person.formerEmail != null && email.equals(person.formerEmail)
                ? person.formerCompany : person.company;
        String companyName = null;
        if (company != null && random.nextInt(100) < (analytics ? 10 : hubspot ? 65 : 95)) {
            companyName = companyVariant(random, company.name());
        } else if (salesforce && source.equals("salesforce-lead")) {
            companyName = pick(random, PLACEHOLDER_COMPANIES);
        }
        String website = company != null && random.nextInt(100) < (analytics ? 0 : hubspot ? 35 : 45)
                ? websiteVariant(random, company.domain()) : null;
        String title = !analytics && random.nextInt(100) < (hubspot ? 40 : 75) ? person.title : null;
        String country = random.nextInt(100) < (analytics ? 70 : 60) ? countryVariant(random, person.country) : null;

        boolean workPersonal = email != null && person.workEmail != null && !email.equals(person.workEmail)
                && workUsed && phone == null;
        if (roleInbox) {
            kind = "role-inbox";
        } else if (person.family) {
            kind = "family";
        } else if (switchboard) {
            kind = "switchboard";
        } else if (nameless) {
            kind = "nameless";
        } else if (workPersonal) {
            kind = "work-personal";
        } else if (typo) {
            kind = "typo";
        } else if (fullName) {
            kind = "full-name";
        } else if (gmailVariant) {
            kind = "gmail-variant";
        }
        put(row, "first_name", first);
        put(row, "last_name", last);
        put(row, "email", email);
        put(row, "phone", phone);
        put(row, "company", companyName);
        put(row, "website", website);
        put(row, "title", title);
        put(row, "country", country);
        row.put("entity_id", "E" + entity);
        row.put("kind", kind);
        return new Row(row);
    }

    private static String recordId(String source, int number) {
        return switch (source) {
            case "salesforce-lead" -> String.format(Locale.ROOT, "00Q5e00000%08dAAA", number);
            case "salesforce-contact" -> String.format(Locale.ROOT, "0035e00000%08dAAA", number);
            case "hubspot-contact" -> Long.toString(51_000L + number * 7L);
            default -> "$device:" + Long.toHexString(0x18a3f000000L + number * 104729L);
        };
    }

    private static String workEmail(SplittableRandom random, String first, String last, Company company,
                                    Map<String, Set<String>> localsAtDomain) {
        String f = ascii(first).toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
        String l = ascii(last).toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
        String local = switch (company.convention()) {
            case "first.last" -> f + "." + l;
            case "flast" -> f.charAt(0) + l;
            case "first" -> f;
            case "firstl" -> f + l.charAt(0);
            case "first_last" -> f + "_" + l;
            case "lastf" -> l + f.charAt(0);
            default -> f.charAt(0) + "." + l;
        };
        Set<String> taken = localsAtDomain.computeIfAbsent(company.domain(), d -> new HashSet<>());
        String unique = local;
        for (int n = 2; !taken.add(unique); n++) {
            unique = local + n;
        }
        return unique + "@" + company.domain();
    }

    private static String personalEmail(SplittableRandom random, String first, String nickname, String last,
                                        Map<String, Set<String>> localsAtDomain) {
        String f = ascii(nickname != null && random.nextBoolean() ? nickname : first).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z]", "");
        String l = ascii(last).toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
        String local = switch (random.nextInt(6)) {
            case 0 -> f + "." + l;
            case 1 -> f + l + (70 + random.nextInt(30));
            case 2 -> f + "." + l + random.nextInt(100);
            case 3 -> f.charAt(0) + l + random.nextInt(1000);
            case 4 -> f + "_" + l.charAt(0) + random.nextInt(100);
            default -> l + "." + f;
        };
        return mailbox(local, pick(random, FREE_MAIL), localsAtDomain);
    }

    /**
     * A free-mail address nobody else has: a provider gives each address to one mailbox (Gmail ignores the dots), so a
     * person whose address is taken picks another, here with digits like a birth year, as people do. The digits are
     * hashed from the address (its provider too: people choose at each provider on their own) and the attempt, so no
     * other record of the export changes.
     */
    private static String mailbox(String local, String domain, Map<String, Set<String>> localsAtDomain) {
        Set<String> taken = localsAtDomain.computeIfAbsent(domain, d -> new HashSet<>());
        String unique = local;
        int seed = (local + '@' + domain).hashCode();
        for (int n = 0; !taken.add(unique.replace(".", "")); n++) {
            unique = local + (n < 60 ? Integer.toString(1950 + Math.floorMod(seed + 31 * n, 60)) : Integer.toString(n));
        }
        return unique + "@" + domain;
    }

    private static String phone(SplittableRandom random, String country) {
        int a = 201 + random.nextInt(700);
        int b = 200 + random.nextInt(700);
        int c = random.nextInt(10_000);
        return switch (country) {
            case "US", "CA" -> String.format(Locale.ROOT, "+1 %03d %03d %04d", a, b, c);
            case "GB" -> String.format(Locale.ROOT, "+44 20 7%03d %04d", b, c);
            case "DE" -> String.format(Locale.ROOT, "+49 30 %03d%04d", b, c);
            case "FR" -> String.format(Locale.ROOT, "+33 1 %02d %02d %02d %02d", random.nextInt(100),
                    random.nextInt(100), random.nextInt(100), random.nextInt(100));
            case "IN" -> String.format(Locale.ROOT, "+91 98%03d %05d", b, random.nextInt(100_000));
            case "BR" -> String.format(Locale.ROOT, "+55 11 9%04d %04d", c, random.nextInt(10_000));
            case "AU" -> String.format(Locale.ROOT, "+61 2 %04d %04d", c, random.nextInt(10_000));
            case "NL" -> String.format(Locale.ROOT, "+31 20 %03d %04d", b, c);
            default -> String.format(Locale.ROOT, "+34 91 %03d %02d %02d", b, random.nextInt(100), random.nextInt(100));
        };
    }

    /** A phone as people type it: international, national, dotted, with an extension. */
    private static String format(SplittableRandom random, String e164ish) {
        String digits = e164ish.replaceAll("[^0-9]", "");
        if (e164ish.startsWith("+1 ")) {
            String national = digits.substring(1);
            return switch (random.nextInt(6)) {
                case 0 -> e164ish;
                case 1 -> "(" + national.substring(0, 3) + ") " + national.substring(3, 6) + "-" + national.substring(6);
                case 2 -> national.substring(0, 3) + "." + national.substring(3, 6) + "." + national.substring(6);
                case 3 -> national;
                case 4 -> "+1-" + national.substring(0, 3) + "-" + national.substring(3, 6) + "-" + national.substring(6);
                default -> national.substring(0, 3) + "-" + national.substring(3, 6) + "-" + national.substring(6)
                        + " x" + (100 + random.nextInt(900));
            };
        }
        return switch (random.nextInt(3)) {
            case 0 -> e164ish;
            case 1 -> "+" + digits;
            default -> "00" + digits;
        };
    }

    private static String companyVariant(SplittableRandom random, String name) {
        int roll = random.nextInt(100);
        if (roll < 55) {
            return name;
        }
        if (roll < 70) {
            return name + pick(random, new String[] {" Inc.", ", Inc.", " LLC", " Ltd", " GmbH", " Corp.", " Co."});
        }
        if (roll < 80) {
            return name.toUpperCase(Locale.ROOT);
        }
        if (roll < 90) {
            return name.substring(0, name.lastIndexOf(' '));
        }
        return name.toLowerCase(Locale.ROOT);
    }

    private static String websiteVariant(SplittableRandom random, String domain) {
        return switch (random.nextInt(4)) {
            case 0 -> domain;
            case 1 -> "www." + domain;
            case 2 -> "https://www." + domain;
            default -> "http://" + domain + "/";
        };
    }

    private static String countryVariant(SplittableRandom random, String[] country) {
        return switch (random.nextInt(4)) {
            case 0, 1 -> country[0];
            case 2 -> country[1];
            default -> country[1].equals("US") ? "USA" : country[1].equals("GB") ? "UK" : country[0];
        };
    }

    /** One slip of the keyboard: a letter dropped, doubled, swapped with its neighbour or replaced. */
    private static String typo(SplittableRandom random, String text) {
        int at = text.indexOf('@');
        int end = at > 1 ? at : text.length();
        int i = 1 + random.nextInt(Math.max(1, end - 2));
        return switch (random.nextInt(4)) {
            case 0 -> text.substring(0, i) + text.substring(i + 1);
            case 1 -> text.substring(0, i) + text.charAt(i) + text.substring(i);
            case 2 -> text.substring(0, i - 1) + text.charAt(i) + text.charAt(i - 1) + text.substring(i + 1);
            default -> text.substring(0, i) + (char) ('a' + random.nextInt(26)) + text.substring(i + 1);
        };
    }

    /** Names with the frequencies of real names: rank r drawn with weight 1/(r + 3). */
    private static String zipf(SplittableRandom random, String[] names) {
        double total = 0;
        for (int r = 0; r < names.length; r++) {
            total += 1.0 / (r + 3);
        }
        double roll = random.nextDouble() * total;
        for (int r = 0; r < names.length; r++) {
            roll -= 1.0 / (r + 3);
            if (roll <= 0) {
                return names[r];
            }
        }
        return names[names.length - 1];
    }

    private static String rareSurname(SplittableRandom random) {
        StringBuilder name = new StringBuilder();
        int syllables = 2 + random.nextInt(3);
        for (int s = 0; s < syllables; s++) {
            name.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
        }
        name.setCharAt(0, Character.toUpperCase(name.charAt(0)));
        return name.toString();
    }

    private static String[] weightedCountry(SplittableRandom random) {
        int total = 0;
        for (String[] country : COUNTRIES) {
            total += Integer.parseInt(country[3]);
        }
        int roll = random.nextInt(total);
        for (String[] country : COUNTRIES) {
            roll -= Integer.parseInt(country[3]);
            if (roll < 0) {
                return country;
            }
        }
        return COUNTRIES[0];
    }

    private static final String[] GERMAN_FIRST = {"Carsten", "Gerd", "Robert", "Stefan", "Ralf", "Juergen", "Uwe",
        "Daniel", "Michael", "Peter", "Manfred", "Walter", "Martin", "Alexander", "Hans", "Gerhard", "Dennis",
        "Thorsten", "Matthias", "Wolfgang", "Benjamin", "Jan", "Sven", "Christian", "Andreas", "Heinz", "Harald",
        "Kurt", "Horst", "Dieter", "Friedrich", "Hermann", "Helmut", "Werner", "Holger", "Jens", "Bernd", "Andre",
        "Siegfried", "Otto", "Karl", "Guenther", "Klaus", "Frank", "Thomas", "Rainer", "Joerg", "Sabine", "Renate",
        "Ursula", "Monika", "Petra", "Karin", "Helga", "Brigitte", "Ingrid", "Erika", "Gisela", "Andrea", "Anna",
        "Stefanie", "Claudia", "Anja", "Heike", "Birgit", "Susanne", "Christine", "Marion", "Elke", "Gabriele",
        "Angelika", "Hannelore", "Gertrud", "Maria", "Elisabeth", "Julia", "Katrin", "Nicole", "Silke", "Jutta"};
    private static final String[] GERMAN_LAST = {"Mueller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer",
        "Wagner", "Becker", "Schulz", "Hoffmann", "Schaefer", "Koch", "Bauer", "Richter", "Klein", "Wolf",
        "Schroeder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krueger", "Hofmann", "Hartmann", "Lange", "Schmitt",
        "Werner", "Schmitz", "Krause", "Meier", "Lehmann", "Schmid", "Schulze", "Maier", "Koehler", "Herrmann",
        "Koenig", "Walter", "Mayer", "Huber", "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Moeller", "Weiss",
        "Jung", "Hahn", "Schubert", "Vogel", "Friedrich", "Keller", "Guenther", "Frank", "Berger", "Winkler", "Roth",
        "Beck", "Lorenz", "Baumann", "Franke", "Albrecht", "Schuster", "Simon", "Ludwig", "Boehm", "Winter", "Kraus",
        "Martin", "Schumacher", "Kraemer", "Vogt", "Stein", "Jaeger", "Otto", "Sommer", "Gross", "Seidel", "Heinrich",
        "Brandt", "Haas", "Schreiber", "Graf", "Schulte", "Dietrich", "Ziegler", "Kuhn", "Kuehn", "Pohl", "Engel",
        "Horn", "Busch", "Bergmann", "Thomas", "Voigt", "Sauer", "Arnold", "Wolff", "Pfeiffer"};

    /**
     * Records shaped like RLdata500: first and family name (a second component for some), birth year, month and
     * day; about a tenth of the people appear twice, the copy with one error (a letter of a name, or one part of the
     * birth date). Nothing else: no address, email or phone to lean on.
     */
    public List<Row> namesAndBirthDates(int records) {
        if (records < 1) {
            throw new IllegalArgumentException("records must be at least 1, got " + records);
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<String[]> originals = new ArrayList<>();
        List<Row> rows = new ArrayList<>(records);
        int duplicates = records / 10;
        for (int i = 0; i < records - duplicates; i++) {
            String[] person = {pick(random, GERMAN_FIRST).toUpperCase(Locale.ROOT),
                random.nextInt(100) < 5 ? pick(random, GERMAN_FIRST).toUpperCase(Locale.ROOT) : "",
                zipf(random, GERMAN_LAST).toUpperCase(Locale.ROOT),
                random.nextInt(100) < 3 ? pick(random, GERMAN_LAST).toUpperCase(Locale.ROOT) : "",
                Integer.toString(1925 + random.nextInt(85)), Integer.toString(1 + random.nextInt(12)),
                Integer.toString(1 + random.nextInt(28)), Integer.toString(i + 1)};
            originals.add(person);
        }
        List<String[]> all = new ArrayList<>(originals);
        for (int d = 0; d < duplicates; d++) {
            String[] copy = originals.get(random.nextInt(originals.size())).clone();
            int field = random.nextInt(5);
            switch (field) {
                case 0 -> copy[0] = typo(random, copy[0] + " ").strip();
                case 1 -> copy[2] = typo(random, copy[2] + " ").strip();
                case 2 -> copy[4] = Integer.toString(Integer.parseInt(copy[4]) + (random.nextBoolean() ? 1 : -1));
                case 3 -> copy[5] = Integer.toString(1 + random.nextInt(12));
                default -> copy[6] = Integer.toString(1 + random.nextInt(28));
            }
            all.add(random.nextInt(all.size() + 1), copy);
        }
        for (int i = 0; i < all.size(); i++) {
            String[] person = all.get(i);
            Map<String, String> row = new LinkedHashMap<>();
            row.put("rec_id", Integer.toString(i + 1));
            row.put("fname_c1", person[0]);
            put(row, "fname_c2", person[1].isEmpty() ? null : person[1]);
            row.put("lname_c1", person[2]);
            put(row, "lname_c2", person[3].isEmpty() ? null : person[3]);
            row.put("by", person[4]);
            row.put("bm", person[5]);
            row.put("bd", person[6]);
            row.put("ent_id", person[7]);
            rows.add(new Row(row));
        }
        return rows;
    }

    /** Writes rows as CSV with a header, quoting values that need it. */
    public static void writeCsv(List<Row> rows, List<String> columns, Writer out) throws IOException {
        out.write(String.join(",", columns));
        out.write('\n');
        for (Row row : rows) {
            for (int c = 0; c < columns.size(); c++) {
                if (c > 0) {
                    out.write(',');
                }
                String value = row.get(columns.get(c));
                if (value != null) {
                    boolean quote = value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0;
                    out.write(quote ? '"' + value.replace("\"", "\"\"") + '"' : value);
                }
            }
            out.write('\n');
        }
    }

    private static void put(Map<String, String> row, String column, String value) {
        if (value != null && !value.isBlank()) {
            row.put(column, value);
        }
    }

    private static String pick(SplittableRandom random, String[] values) {
        return values[random.nextInt(values.length)];
    }

    /** As an ASCII-only form or keyboard gives a name: {@code Zoë} is {@code Zoe}, spaces and apostrophes kept. */
    private static String withoutAccents(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "").replace("ø", "o")
                .replace("Ø", "O").replace("ł", "l").replace("Ł", "L");
    }

    private static String ascii(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "").replace("ø", "o")
                .replace("Ø", "O").replace("ł", "l").replace("Ł", "L").replace("'", "").replace(" ", "");
    }

    /** {@code --kind crm|names-and-birth-dates --records N --seed N --out file.csv}. */
    public static void main(String[] args) throws IOException {
        String kind = "crm";
        int records = 32_000;
        long seed = 7;
        Path out = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--kind" -> kind = args[i + 1];
                case "--records" -> records = Integer.parseInt(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--out" -> out = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: --kind crm|names-and-birth-dates --records N --seed N --out file.csv");
            }
        }
        if (out == null) {
            throw new IllegalArgumentException("--out is required");
        }
        IdentityDataGenerator generator = new IdentityDataGenerator(seed);
        try (Writer writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            if (kind.equals("crm")) {
                writeCsv(generator.crmExport(records), CRM_COLUMNS, writer);
            } else if (kind.equals("names-and-birth-dates")) {
                writeCsv(generator.namesAndBirthDates(records), NAMES_AND_BIRTH_DATES_COLUMNS, writer);
            } else {
                throw new IllegalArgumentException("unknown --kind " + kind + "; expected crm or names-and-birth-dates");
            }
        }
    }
}
