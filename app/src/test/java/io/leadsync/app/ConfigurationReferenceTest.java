package io.leadsync.app;

import io.leadsync.app.internal.Connectors;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/configuration.md is what the code describes: regenerate it when a setting changes. */
class ConfigurationReferenceTest {
    private static final Path DOC = Path.of("../docs/configuration.md");

    @Test
    void theCommittedReferenceIsCurrent() throws Exception {
        String generated = ConfigurationReference.markdown(Connectors.discoverFactories(Path.of("../config/connectors")));
        assertThat(Files.exists(DOC)).as(DOC + " exists").isTrue();
        assertThat(Files.readString(DOC)).as("docs/configuration.md is stale: regenerate it with"
                + " 'java -jar app/target/leadsync.jar config-reference > docs/configuration.md' (from the repository"
                + " root, after mvn package)").isEqualTo(generated);
    }

    @Test
    void everyHostSettingAndEveryHubSpotSettingIsDocumented() {
        String generated = ConfigurationReference.markdown(Connectors.discoverFactories(Path.of("../config/connectors")));
        for (LeadsyncSettings.Group group : LeadsyncSettings.groups()) {
            group.settings().forEach(setting -> assertThat(generated).contains("`" + group.prefix() + "."
                    + setting.name() + "`"));
        }
        assertThat(generated).contains("`sync.connectors.<name>.read.page-size` | whole number 1..200 | `100`")
                .contains("`sync.connectors.<name>.token` | text |").contains("Usually `${HUBSPOT_TOKEN}`")
                .contains("`LEADSYNC_DATABASE_PASSWORD` sets `leadsync.database.password`")
                .contains("### `type: pipedrive`");
    }
}
