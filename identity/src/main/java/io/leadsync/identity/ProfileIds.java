package io.leadsync.identity;

import io.leadsync.connector.ExternalId;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Stable golden-profile ids: derived from the source record that founded the profile, so resolving the same data
 * again gives the same ids.
 */
public final class ProfileIds {
    private ProfileIds() {
    }

    /** {@code P} and 20 hex digits of SHA-256 over the founding record's {@code source:id}. */
    public static String foundedBy(ExternalId founder) {
        return digest(founder.toString());
    }

    /**
     * The profile of records split off a profile that a record of theirs founded: derived from that record and how
     * many times it was split off before, so a split never reuses a profile id.
     */
    public static String splitOff(ExternalId record, int times) {
        return digest("split " + times + " " + record);
    }

    private static String digest(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "P" + HexFormat.of().formatHex(digest, 0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
