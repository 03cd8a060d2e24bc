package io.leadsync.app;

import io.leadsync.connector.ConnectorFactory;
import io.leadsync.connector.Setting;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code docs/configuration.md}, written from the descriptions of every setting: the host's ({@link LeadsyncSettings})
 * and each connector type's ({@link ConnectorFactory#settings}). {@code leadsync config-reference} prints it; a test
 * fails when the committed file differs from what the code describes.
 */
public final class ConfigurationReference {
    private ConfigurationReference() {
    }

    /** The reference in Markdown, for the connector types given (built-in and manifest types). */
    public static String markdown(Map<String, ConnectorFactory> factories) {
        StringBuilder out = new StringBuilder();
        out.append("# Configuration reference\n\n")
                .append("<!-- Generated from the code by `java -jar app/target/leadsync.jar config-reference"
                        + " > docs/configuration.md`; ConfigurationReferenceTest fails when this file is stale."
                        + " Do not edit by hand. -->\n\n")
                .append("Every setting leadsync reads, with its type, default and what it does. Start-up validates"
                        + " them all: an unknown key, a wrong type or a missing required setting stops start-up with"
                        + " the full key (`sync.connectors.hubspot-main.read.page-size must be between 1 and 200 but"
                        + " was 500`). `<name>` stands for a name you choose, `[]` for each block of a list.\n\n")
                .append("## Environment variables\n\n")
                .append("One way: in the file, `${VARIABLE}` (required) or `${VARIABLE:default}` reads a variable"
                        + " (an unset required one stops start-up naming the key that reads it). Besides, every"
                        + " single-valued `leadsync.*` setting can be set by `LEADSYNC_` and its key after `leadsync.`"
                        + " in upper case with dots and dashes as underscores: `LEADSYNC_DATABASE_PASSWORD` sets"
                        + " `leadsync.database.password`, `LEADSYNC_RUNS_LEASE_TTL` sets `leadsync.runs.lease-ttl`."
                        + " Other `LEADSYNC_*` and `SYNC_*` variables are not settings: they are left to placeholders"
                        + " and never stop start-up as unknown keys.\n\n")
                .append("Values: true/false also read yes/no and on/off; durations are `500ms`, `30s`, `5m`, `2h`,"
                        + " `1d` or ISO-8601 (`PT5M`); lists are YAML lists or comma-separated text.\n\n");
        for (LeadsyncSettings.Group group : LeadsyncSettings.groups()) {
            out.append("## `").append(group.title()).append("`\n\n").append(group.doc()).append("\n\n");
            table(out, group.prefix(), group.settings());
        }
        out.append("## Connector types\n\n")
                .append("Each block under `sync.connectors.<name>` has the settings above and those of its `type`.\n\n");
        for (Map.Entry<String, ConnectorFactory> entry : new TreeMap<>(factories).entrySet()) {
            out.append("### `type: ").append(entry.getKey()).append("`\n\n");
            List<Setting<?>> settings = entry.getValue().settings();
            if (settings.isEmpty()) {
                out.append("See [docs/connectors/").append(entry.getKey()).append(".md](connectors/")
                        .append(entry.getKey()).append(".md) for its settings.\n\n");
            } else {
                table(out, "sync.connectors.<name>", settings);
            }
        }
        return out.toString();
    }

    private static void table(StringBuilder out, String prefix, List<Setting<?>> settings) {
        out.append("| key | type | default | description |\n|---|---|---|---|\n");
        for (Setting<?> setting : settings) {
            String flags = (setting.isRequired() ? " **Required.**" : "") + (setting.isSecret() ? " Secret: masked in"
                    + " logs, errors and the API." : "") + (setting.env() == null ? "" : " Usually `${" + setting.env()
                    + "}`.");
            out.append("| `").append(prefix).append('.').append(setting.name()).append("` | ")
                    .append(setting.type().describe()).append(" | ")
                    .append(setting.defaultText() == null || setting.defaultText().isEmpty() ? "" : "`"
                            + setting.defaultText() + "`").append(" | ")
                    .append(escape(setting.doc() + flags)).append(" |\n");
        }
        out.append('\n');
    }

    private static String escape(String text) {
        return text.replace("|", "\\|").strip();
    }
}
