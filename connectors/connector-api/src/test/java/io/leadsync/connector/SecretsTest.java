package io.leadsync.connector;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class SecretsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "jdbc:mysql://db.example.com:3306/crm?user=leadsync&password=hunter2&ssl=true"
                    + "|jdbc:mysql://db.example.com:3306/crm?user=leadsync&password=******&ssl=true",
            "jdbc:postgresql://leadsync:hunter2@db.example.com/crm|jdbc:postgresql://leadsync:******@db.example.com/crm",
            "jdbc:sqlserver://db;user=sa;password=hunter2;encrypt=true|jdbc:sqlserver://db;user=sa;password=******;encrypt=true",
            "https://api.example.com/v1?api_key=abc123&page=2|https://api.example.com/v1?api_key=******&page=2",
            "https://x.example.com/cb?access_token=abc.def.ghi#top|https://x.example.com/cb?access_token=******#top",
            "mongodb+srv://app:s3cr3t@cluster0.example.net/db|mongodb+srv://app:******@cluster0.example.net/db",
            "{\"client_secret\":\"abc\",\"client_id\":\"leadsync\"}|{\"client_secret\":\"******\",\"client_id\":\"leadsync\"}",
            "Authorization: Bearer pat-na1-1234abcd|Authorization: Bearer ******",
            "set SALESFORCE_PASSWORD: pw123 and go|set SALESFORCE_PASSWORD: ****** and go",
            "leadsync.database.url must be an H2 (jdbc:h2:...) or PostgreSQL URL|leadsync.database.url must be an H2 (jdbc:h2:...) or PostgreSQL URL",
            "the monkey=3 and keyboard=us stay|the monkey=3 and keyboard=us stay",
    })
    void masksCredentialsInEveryUrlAndParameterForm(String text, String masked) {
        assertThat(Secrets.mask(text)).isEqualTo(masked);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"password=******", "token: ******", "e.g. api-token: ${PIPEDRIVE_TOKEN}"})
    void leavesMaskedValuesAndPlaceholdersAsTheyAre(String text) {
        assertThat(Secrets.mask(text)).isEqualTo(text);
    }
}
