package io.leadsync.connector.hubspot;

import io.leadsync.connector.StreamId;
import io.leadsync.sandbox.hubspot.HubSpotSimulator;

import java.util.List;
import java.util.Map;

/**
 * The source contract of the test kit on the form_submissions stream. The portal holds one form with submissions,
 * on three pages: the contract's "nothing older than the overlap" is about one watermark, and this stream keeps one
 * per form (each form's re-read starts at its own time; HubSpotFormSubmissionsIT covers many forms, and a read
 * resumed from any page of them).
 */
class HubSpotFormSubmissionsContractIT extends HubSpotSourceContractIT {

    @Override
    protected SandboxFixture newFixture() {
        SandboxFixture portal = new SandboxFixture(HubSpotSimulator.Options.defaults().withoutRateLimits(), 0);
        String form = portal.simulator.createForm("Request a demo", "hubspot");
        for (int i = 0; i < 130; i++) {
            portal.simulator.submitForm(form, Map.of("email", "buyer" + i + "@acme.example"),
                    "https://www.example.com/demo");
        }
        return portal;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Map<String, Object> settings(String token, String baseUrl) {
        Map<String, Object> settings = super.settings(token, baseUrl);
        ((Map<String, Object>) settings.get("read")).put("streams", List.of("contacts", "form_submissions"));
        return settings;
    }

    @Override
    protected StreamId personStream() {
        return new StreamId("hubspot-main", "form_submissions");
    }
}
