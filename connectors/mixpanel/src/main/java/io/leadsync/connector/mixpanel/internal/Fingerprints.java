package io.leadsync.connector.mixpanel.internal;

/**
 * The 64-bit fingerprints of the ids seen in one export day, to tell a line repeating an event already read from a
 * new one without holding the ids: an open-addressing set of longs at most half full, 16 to 32 bytes an id (16 to
 * 32 MB for a million events a day). Two ids share a fingerprint with a chance of about n&sup2;/2<sup>65</sup> (3 in 100 million for a
 * million events); the fingerprints only count repeats, they never decide what is read.
 */
public final class Fingerprints {
    private static final long EMPTY = 0;
    private long[] slots = new long[1024];
    private int size;
    private boolean zeroSeen;

    /** Adds the id's fingerprint; true when it was not there yet. */
    public boolean add(String id) {
        long hash = hash(id);
        if (hash == EMPTY) {
            boolean first = !zeroSeen;
            zeroSeen = true;
            return first;
        }
        if ((size + 1) * 2L > slots.length) {
            grow();
        }
        boolean added = insert(slots, hash);
        if (added) {
            size++;
        }
        return added;
    }

    /** Forgets every id (a new day begins). */
    public void clear() {
        slots = new long[1024];
        size = 0;
        zeroSeen = false;
    }

    private static boolean insert(long[] table, long hash) {
        int mask = table.length - 1;
        int i = (int) (mix(hash) & mask);
        while (table[i] != EMPTY) {
            if (table[i] == hash) {
                return false;
            }
            i = (i + 1) & mask;
        }
        table[i] = hash;
        return true;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        for (long hash : old) {
            if (hash != EMPTY) {
                insert(slots, hash);
            }
        }
    }

    /** FNV-1a, 64 bits, over the id's characters (no copy of the id). */
    static long hash(String id) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            hash ^= id.charAt(i);
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    private static long mix(long hash) {
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        return hash;
    }
}
