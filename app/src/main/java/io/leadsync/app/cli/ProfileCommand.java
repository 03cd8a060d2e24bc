package io.leadsync.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.leadsync.app.ops.ProfileOps;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code leadsync profile <email|id>}: one profile's golden record (with each value's source), linked records,
 * score, reasons and score history; or the profiles a search finds.
 */
@Command(name = "profile", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = "Show a profile: golden record with each value's source, linked CRM records, score with its"
                + " reasons, score history. Find it by email, name, CRM record id (or source:id) or profile id.")
public final class ProfileCommand extends ServiceCommand {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Parameters(index = "0", paramLabel = "<email|id>", description = "An email, a name, a CRM record id or a"
            + " profile id.")
    String query;

    @Override
    int work(Server server) throws Exception {
        ProfileOps profiles = server.context().getBean(ProfileOps.class);
        Optional<Map<String, Object>> exact = profiles.profile(query.strip());
        if (exact.isEmpty()) {
            List<Map<String, Object>> found = profiles.search(query, 20);
            if (found.isEmpty()) {
                err.println("no profile matches '" + query + "'");
                return ExitCodes.NOT_FOUND;
            }
            if (found.size() > 1) {
                out.printf("%d profiles match '%s':%n", found.size(), query);
                for (Map<String, Object> profile : found) {
                    out.printf("  %-38s %-32s %-24s score %s grade %s%n", profile.get("profileId"), profile.get("email"),
                            profile.get("name"), profile.get("score"), profile.get("grade"));
                }
                return ExitCodes.OK;
            }
            exact = profiles.profile((String) found.get(0).get("profileId"));
        }
        out.println(JSON.writeValueAsString(exact.orElseThrow()));
        return ExitCodes.OK;
    }
}
