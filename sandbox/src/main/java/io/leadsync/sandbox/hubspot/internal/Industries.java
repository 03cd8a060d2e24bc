package io.leadsync.sandbox.hubspot.internal;

import java.util.List;

/** A selection of HubSpot's industry enumeration values. */
public final class Industries {
    public static final List<String> ALL = List.of("COMPUTER_SOFTWARE", "INFORMATION_TECHNOLOGY_AND_SERVICES",
            "FINANCIAL_SERVICES", "BANKING", "INSURANCE", "HOSPITAL_HEALTH_CARE", "PHARMACEUTICALS", "RETAIL",
            "CONSUMER_GOODS", "MARKETING_AND_ADVERTISING", "TELECOMMUNICATIONS", "AUTOMOTIVE", "LOGISTICS_AND_SUPPLY_CHAIN",
            "HIGHER_EDUCATION", "E_LEARNING", "MANAGEMENT_CONSULTING", "REAL_ESTATE", "CONSTRUCTION", "MECHANICAL_OR_INDUSTRIAL_ENGINEERING",
            "NONPROFIT_ORGANIZATION_MANAGEMENT", "GOVERNMENT_ADMINISTRATION", "HOSPITALITY", "INTERNET", "COMPUTER_GAMES");

    private Industries() {
    }
}
