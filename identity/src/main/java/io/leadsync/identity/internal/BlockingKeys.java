package io.leadsync.identity.internal;

/**
 * Blocking keys as 64-bit numbers: the key's family (its first letter, e.g. {@code n} for last name and initial) in
 * the top six bits, a 58-bit hash of the whole key in the rest. Numbers keep the store's key index small and fast; a
 * collision (about one in 10^17 per pair of keys) only adds a candidate, which comparison then rejects.
 */
public final class BlockingKeys {
    /** Key families, in the order of their numbers. */
    public static final String FAMILIES = "ielnfswbtupdcza";
    private static final long HASH_BITS = (1L << 58) - 1;

    private BlockingKeys() {
    }

    public static long hash(String key) {
        int family = FAMILIES.indexOf(key.charAt(0));
        if (family < 0) {
            throw new IllegalArgumentException("unknown key family in '" + key + "'");
        }
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            hash ^= key.charAt(i);
            hash *= 0x100000001b3L;
        }
        hash ^= hash >>> 29;
        hash *= 0xbf58476d1ce4e5b9L;
        hash ^= hash >>> 32;
        return ((long) family << 58) | (hash & HASH_BITS);
    }

    /** The family letter of a hashed key. */
    public static char family(long key) {
        return FAMILIES.charAt((int) (key >>> 58));
    }
}
